using System.Net;
using System.Net.Sockets;
using PypiLocal.Testing;

namespace PypiLocal.Infrastructure.Tests.Caching;

/// <summary>
/// A loopback TCP relay to a real server that can be cut (connections closed, new ones refused) and restored
/// on the same port: a network partition between one node and Redis while Redis itself keeps its data.
/// </summary>
internal sealed class TcpProxy(int targetPort) : IAsyncDisposable
{
    private readonly List<TcpClient> _connections = [];
    private TcpListener? _listener;
    private CancellationTokenSource? _stop;

    public int Port { get; } = FreePort.Next();

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
                await upstream.ConnectAsync(IPAddress.Loopback, targetPort, cancellationToken);
                lock (_connections)
                {
                    _connections.Add(client);
                    _connections.Add(upstream);
                }

                _ = RelayAsync(client, upstream, cancellationToken);
                _ = RelayAsync(upstream, client, cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Cut.
        }
    }

    private static async Task RelayAsync(TcpClient from, TcpClient to, CancellationToken cancellationToken)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream(), cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // One side closed or the proxy was cut.
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }
}
