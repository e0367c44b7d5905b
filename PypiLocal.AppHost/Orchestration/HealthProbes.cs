using System.Net.Sockets;
using System.Text;

namespace PypiLocal.AppHost.Orchestration;

/// <summary>The checks behind WaitFor: Redis PING over TCP, HTTP status for S3 and the api.</summary>
internal static class HealthProbes
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(3) };

    /// <summary>AUTH (when a password is given) then PING; healthy on +PONG.</summary>
    public static async Task<bool> RedisAsync(string host, int port, string? password, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            var command = password is null ? "PING\r\n" : $"AUTH {RespString(password)}\r\nPING\r\n";
            await stream.WriteAsync(Encoding.UTF8.GetBytes(command), timeout.Token).ConfigureAwait(false);
            var buffer = new byte[256];
            var received = new StringBuilder();
            while (!received.ToString().Contains("PONG", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
                if (read == 0 || received.ToString().StartsWith('-'))
                {
                    return false;
                }
                received.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
            return true;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>True when the URL answers with a status below 500 (S3 roots answer 200 or 403) or exactly 200 when <paramref name="requireOk"/>.</summary>
    public static async Task<bool> HttpAsync(string url, bool requireOk, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            return requireOk ? response.IsSuccessStatusCode : (int)response.StatusCode < 500;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>Polls <paramref name="probe"/> until it passes, the process exits, or the timeout elapses.</summary>
    public static async Task<bool> WaitAsync(Func<CancellationToken, Task<bool>> probe, Task? exited, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
        {
            if (await probe(cancellationToken).ConfigureAwait(false))
            {
                return true;
            }
            if (exited is { IsCompleted: true })
            {
                return false;
            }
            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
        }
        return false;
    }

    // RESP inline commands split on spaces; our generated passwords have none, user ones are quoted.
    private static string RespString(string value) => value.Contains(' ', StringComparison.Ordinal) ? $"\"{value}\"" : value;
}
