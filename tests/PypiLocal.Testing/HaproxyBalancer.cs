using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace PypiLocal.Testing;

/// <summary>
/// Debian's haproxy in front of index nodes, round robin, checking <c>/alive</c> every 200 ms and retrying a
/// request on another node when its node is gone, as a production balancer would be set up.
/// </summary>
public sealed class HaproxyBalancer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TempFolder _folder;

    private HaproxyBalancer(Process process, TempFolder folder, int port)
    {
        _process = process;
        _folder = folder;
        BaseUrl = $"http://127.0.0.1:{port}";
    }

    public string BaseUrl { get; }

    public string IndexUrl => BaseUrl + "/simple/";

    public static async Task<HaproxyBalancer> StartAsync(IEnumerable<int> backendPorts)
    {
        var haproxy = ProcessRunner.Which("haproxy") ?? (File.Exists("/usr/sbin/haproxy") ? "/usr/sbin/haproxy" : null)
            ?? throw new InvalidOperationException("'haproxy' is not installed; this test needs it. Install it with: apt-get install -y haproxy");
        var port = FreePort.Next();
        var folder = new TempFolder("pypilocal-haproxy");
        var config = new StringBuilder()
            .AppendLine("global")
            .AppendLine("  maxconn 1024")
            .AppendLine("defaults")
            .AppendLine("  mode http")
            .AppendLine("  timeout connect 1s")
            .AppendLine("  timeout client 30s")
            .AppendLine("  timeout server 30s")
            .AppendLine("  retries 3")
            .AppendLine("  option redispatch 1")
            .AppendLine("  retry-on conn-failure empty-response response-timeout")
            .AppendLine("frontend index")
            .AppendLine(CultureInfo.InvariantCulture, $"  bind 127.0.0.1:{port}")
            .AppendLine("  default_backend nodes")
            .AppendLine("backend nodes")
            .AppendLine("  balance roundrobin")
            .AppendLine("  option httpchk GET /alive")
            .AppendLine("  default-server check inter 200ms fall 1 rise 2");
        foreach (var (backend, i) in backendPorts.Select((p, i) => (p, i)))
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"  server n{i} 127.0.0.1:{backend}");
        }

        var path = folder.Combine("haproxy.cfg");
        await File.WriteAllTextAsync(path, config.ToString());
        var start = new ProcessStartInfo(haproxy) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-f", path, "-db" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start haproxy.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var balancer = new HaproxyBalancer(process, folder, port);
        await balancer.WaitUntilServingAsync();
        return balancer;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _folder.Dispose();
    }

    private async Task WaitUntilServingAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"haproxy exited with {_process.ExitCode}.");
            }

            try
            {
                if ((await http.GetAsync(BaseUrl + "/alive")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("haproxy did not serve within 10 s.");
    }
}
