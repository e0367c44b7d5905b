using System.Net;
using System.Net.Sockets;

namespace PypiLocal.Testing;

/// <summary>
/// A loopback TCP port that is free now and stays out of the kernel's ephemeral range (32768–60999), so a
/// server a test stops and starts again on the same port never finds it taken by some client connection's
/// local port or by another test's port-0 listener. Each test process starts at a random point of 20000–32767 and
/// walks on from there; another process can still take a port between this check and the bind
/// (<see cref="PypiLocalServer.StartAsync"/> then tries another).
/// </summary>
public static class FreePort
{
    private const int First = 20_000;
    private const int Count = 12_000;
    private static int _next = Random.Shared.Next(Count);

    public static int Next()
    {
        for (var attempt = 0; attempt < Count; attempt++)
        {
            var port = First + (Interlocked.Increment(ref _next) % Count);
            if (IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"No free port between {First} and {First + Count}.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
