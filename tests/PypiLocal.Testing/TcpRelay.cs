using System.Net;
using System.Net.Sockets;

namespace PypiLocal.Testing;

/// <summary>
/// A loopback TCP relay to a real server, for fault injection: it can be cut (connections closed, new ones refused)
/// and restored on the same port (a network partition while the server keeps its data), and it can corrupt what the
/// server sends (one byte of each occurrence of <see cref="CorruptMarker"/> flipped), as a bad proxy or link would.
/// </summary>
public sealed class TcpRelay(int targetPort) : IAsyncDisposable
{
    private readonly List<TcpClient> _connections = [];
    private TcpListener? _listener;
    private CancellationTokenSource? _stop;

    public int Port { get; } = FreePort.Next();

    /// <summary>When set, the server's bytes are altered wherever these bytes appear in them.</summary>
    public byte[]? CorruptMarker { get; set; }

    public void Start()
    {
        _stop = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        _ = AcceptAsync(_listener, _stop.Token);
    }

    public void Cut()
    {
        _stop?.Cancel();
        _listener?.Stop();
        lock (_connections)
        {
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }

            _connections.Clear();
        }
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        _stop?.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(cancellationToken);
                var upstream = new TcpClient();
                try
                {
                    await upstream.ConnectAsync(IPAddress.Loopback, targetPort, cancellationToken);
                }
                catch (SocketException)
                {
                    // The server is down: the client sees its connection closed, as through a real relay.
                    upstream.Dispose();
                    client.Dispose();
                    continue;
                }

                lock (_connections)
                {
                    _connections.Add(client);
                    _connections.Add(upstream);
                }

                _ = RelayAsync(client, upstream, corrupt: false, cancellationToken);
                _ = RelayAsync(upstream, client, corrupt: true, cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Cut.
        }
    }

    private async Task RelayAsync(TcpClient from, TcpClient to, bool corrupt, CancellationToken cancellationToken)
    {
        try
        {
            var source = from.GetStream();
            var target = to.GetStream();
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (corrupt && CorruptMarker is { Length: > 0 } marker)
                {
                    Flip(buffer.AsSpan(0, read), marker);
                }

                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // One side closed or the relay was cut.
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }

    /// <summary>Flips the last byte of each whole occurrence of the marker within one read (markers are chosen short and rare).</summary>
    private static void Flip(Span<byte> data, byte[] marker)
    {
        int at;
        while ((at = data.IndexOf(marker)) >= 0)
        {
            data[at + marker.Length - 1] ^= 0x20;
        }
    }
}
