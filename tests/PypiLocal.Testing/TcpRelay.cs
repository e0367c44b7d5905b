using System.Net;
using System.Net.Sockets;

namespace PypiLocal.Testing;

/// <summary>
/// A loopback TCP relay to a real server (an index node, moto, Redis) that plays network faults on demand:
/// <see cref="Cut"/> (every connection reset, new ones refused), <see cref="Stall"/> (connections stay open but no
/// byte moves), <see cref="Corrupt"/> (one byte flipped on its way), <see cref="CorruptMarker"/> (one byte of each
/// occurrence of some bytes the server sends flipped, as a bad proxy or link would), and <see cref="Restore"/> (relay
/// again, on the same port). It knows nothing of the protocol it carries.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly int _targetPort;
    private readonly List<TcpClient> _connections = [];
    private readonly Lock _lock = new();
    private TcpListener? _listener;
    private CancellationTokenSource _cut = new();
    private TaskCompletionSource _flowing = Flowing();
    private Corruption? _corruption;
    private StallTrigger? _trigger;

    private TcpRelay(int targetPort, int port)
    {
        _targetPort = targetPort;
        Port = port;
    }

    /// <summary>Which way bytes travel through the relay.</summary>
    public enum Direction
    {
        /// <summary>From the client that connected to the relay to the server behind it.</summary>
        ToServer,

        /// <summary>From the server back to the client.</summary>
        ToClient,
    }

    /// <summary>The relay's own port: point clients here instead of at the server.</summary>
    public int Port { get; }

    /// <summary>Connections relayed since the start.</summary>
    public int ConnectionCount { get; private set; }

    /// <summary>Bytes flipped so far.</summary>
    public int CorruptedBytes { get; private set; }

    /// <summary>When set, the server's bytes are altered wherever these bytes appear in one read of them.</summary>
    public byte[]? CorruptMarker { get; set; }

    /// <summary>Starts relaying from a free port (or <paramref name="port"/>) to <paramref name="targetPort"/> on loopback.</summary>
    public static TcpRelay Start(int targetPort, int? port = null)
    {
        var relay = new TcpRelay(targetPort, port ?? FreePort.Next());
        relay.Listen();
        return relay;
    }

    /// <summary>Resets every open connection and refuses new ones (the port is closed) until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        lock (_lock)
        {
            _cut.Cancel();
            _listener?.Stop();
            _listener = null;
            foreach (var connection in _connections)
            {
                Reset(connection);
            }

            _connections.Clear();
        }
    }

    /// <summary>Keeps connections (and accepts new ones) but moves no byte in either direction until <see cref="Restore"/>.</summary>
    public void Stall()
    {
        lock (_lock)
        {
            HoldBytes();
        }
    }

    /// <summary>
    /// Flips one byte travelling in <paramref name="direction"/>: the one <paramref name="skip"/> bytes after this call
    /// (counted across connections), e.g. past the request headers into an upload's body.
    /// </summary>
    public void Corrupt(Direction direction, long skip)
    {
        lock (_lock)
        {
            _corruption = new Corruption(direction, skip);
        }
    }

    /// <summary>
    /// Stalls (as <see cref="Stall"/>) just before relaying the first read travelling in <paramref name="direction"/>
    /// that <paramref name="match"/> picks, e.g. one request among many: the test brings the protocol knowledge.
    /// The task completes once the relay has stalled.
    /// </summary>
    public Task StallBefore(Direction direction, Func<ReadOnlyMemory<byte>, bool> match)
    {
        var trigger = new StallTrigger(direction, match, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_lock)
        {
            _trigger = trigger;
        }

        return trigger.Stalled.Task;
    }

    /// <summary>
    /// Resets every open connection, losing whatever a stall held back on them, and relays new ones normally (the port
    /// stays open): e.g. a request that reached the server whose answer never comes back.
    /// </summary>
    public void DropConnections()
    {
        lock (_lock)
        {
            foreach (var connection in _connections)
            {
                Reset(connection);
            }

            _connections.Clear();
            _flowing.TrySetResult();
        }
    }

    /// <summary>Relays normally again: a cut relay listens again on its port, a stalled one lets bytes flow.</summary>
    public void Restore()
    {
        lock (_lock)
        {
            _corruption = null;
            _flowing.TrySetResult();
            if (_listener is null)
            {
                _cut.Dispose();
                _cut = new CancellationTokenSource();
                Listen();
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        lock (_lock)
        {
            _flowing.TrySetResult();
        }

        return ValueTask.CompletedTask;
    }

    private static TaskCompletionSource Flowing()
    {
        var flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        flowing.SetResult();
        return flowing;
    }

    private void Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _listener = listener;
        _ = AcceptAsync(listener, _cut.Token);
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken cut)
    {
        try
        {
            while (!cut.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(cut);
                var server = new TcpClient();
                try
                {
                    await server.ConnectAsync(IPAddress.Loopback, _targetPort, cut);
                }
                catch (SocketException)
                {
                    // The server behind is down: the client sees its connection closed, as through a real proxy.
                    client.Client.LingerState = new LingerOption(true, 0);
                    client.Dispose();
                    server.Dispose();
                    continue;
                }

                lock (_lock)
                {
                    _connections.Add(client);
                    _connections.Add(server);
                    ConnectionCount++;
                }

                _ = RelayAsync(client, server, cut);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Cut.
        }
    }

    private async Task RelayAsync(TcpClient client, TcpClient server, CancellationToken cut)
    {
        try
        {
            await Task.WhenAll(PumpAsync(client, server, Direction.ToServer, cut), PumpAsync(server, client, Direction.ToClient, cut));
        }
        finally
        {
            lock (_lock)
            {
                _connections.Remove(client);
                _connections.Remove(server);
            }

            client.Dispose();
            server.Dispose();
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to, Direction direction, CancellationToken cut)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            var source = from.GetStream();
            var target = to.GetStream();
            int read;
            while ((read = await source.ReadAsync(buffer, cut)) > 0)
            {
                Task flowing;
                lock (_lock)
                {
                    if (_trigger is { } trigger && trigger.Direction == direction && trigger.Match(buffer.AsMemory(0, read)))
                    {
                        _trigger = null;
                        HoldBytes();
                        trigger.Stalled.TrySetResult();
                    }

                    flowing = _flowing.Task;
                }

                await flowing.WaitAsync(cut);
                CorruptIfDue(direction, buffer.AsSpan(0, read));
                if (direction == Direction.ToClient && CorruptMarker is { Length: > 0 } marker)
                {
                    FlipMarkers(buffer.AsSpan(0, read), marker);
                }

                await target.WriteAsync(buffer.AsMemory(0, read), cut);
            }

            // An orderly close on one side is passed on as such.
            to.Client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException or SocketException)
        {
            // Cut, or one side went away: the other side sees a reset.
            Reset(from);
            Reset(to);
        }
    }

    // Under _lock: pumps wait on an unfinished task until Restore finishes it.
    private void HoldBytes()
    {
        if (_flowing.Task.IsCompleted)
        {
            _flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    private void CorruptIfDue(Direction direction, Span<byte> bytes)
    {
        lock (_lock)
        {
            if (_corruption is not { } corruption || corruption.Direction != direction)
            {
                return;
            }

            if (corruption.Skip >= bytes.Length)
            {
                _corruption = corruption with { Skip = corruption.Skip - bytes.Length };
                return;
            }

            bytes[(int)corruption.Skip] ^= 0x5A;
            CorruptedBytes++;
            _corruption = null;
        }
    }

    /// <summary>Flips the last byte of each whole occurrence of the marker within one read (markers are chosen short and rare).</summary>
    private static void FlipMarkers(Span<byte> data, byte[] marker)
    {
        int at;
        while ((at = data.IndexOf(marker)) >= 0)
        {
            data[at + marker.Length - 1] ^= 0x20;
        }
    }

    // Linger 0: an RST, as a broken network or a dead peer gives, not an orderly close. A client the other pump
    // already reset has no socket left (TcpClient.Client is null once disposed).
    private static void Reset(TcpClient client)
    {
        try
        {
            if (client.Client is { } socket)
            {
                socket.LingerState = new LingerOption(true, 0);
            }
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException)
        {
            // Already closed.
        }

        client.Dispose();
    }

    private sealed record Corruption(Direction Direction, long Skip);

    private sealed record StallTrigger(Direction Direction, Func<ReadOnlyMemory<byte>, bool> Match, TaskCompletionSource Stalled);
}
