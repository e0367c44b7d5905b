using System.Globalization;
using System.Text;

namespace PypiLocal.Testing;

/// <summary>
/// Debian's nginx serving a folder as static files on a loopback port, with an access log a test can count requests
/// in: the plainest upstream index there is (a PEP 503 HTML tree: no JSON, no upload times, no sizes).
/// </summary>
public sealed class NginxStaticServer : IAsyncDisposable
{
    private readonly BackgroundProcess _process;
    private readonly TempFolder _prefix;

    private NginxStaticServer(BackgroundProcess process, TempFolder prefix, int port)
    {
        _process = process;
        _prefix = prefix;
        Port = port;
        BaseUrl = $"http://127.0.0.1:{port}";
    }

    public int Port { get; }

    public string BaseUrl { get; }

    /// <summary>
    /// Serves <paramref name="root"/> as static files; with <paramref name="limitRate"/> (nginx's size syntax, e.g.
    /// <c>1m</c>) each response is sent at most that many bytes a second, so a test can act while a transfer runs.
    /// </summary>
    public static async Task<NginxStaticServer> StartAsync(string root, string? limitRate = null)
    {
        var port = FreePort.Next();
        var prefix = new TempFolder("pypilocal-nginx");
        var config = new StringBuilder()
            // As root, nginx would run its workers as nobody, who cannot read a test's private temp folders.
            .AppendLine(Environment.UserName == "root" ? "user root;" : "")
            .AppendLine("worker_processes 1;")
            .AppendLine("daemon off;")
            .AppendLine(CultureInfo.InvariantCulture, $"pid {prefix.Combine("nginx.pid")};")
            .AppendLine(CultureInfo.InvariantCulture, $"error_log {prefix.Combine("error.log")} warn;")
            .AppendLine("events { worker_connections 256; }")
            .AppendLine("http {")
            .AppendLine("  include /etc/nginx/mime.types;")
            .AppendLine("  default_type application/octet-stream;")
            .AppendLine(CultureInfo.InvariantCulture, $"  access_log {prefix.Combine("access.log")};")
            .AppendLine(CultureInfo.InvariantCulture, $"  client_body_temp_path {prefix.Combine("body")}; proxy_temp_path {prefix.Combine("proxy")};")
            .AppendLine(CultureInfo.InvariantCulture, $"  fastcgi_temp_path {prefix.Combine("fastcgi")}; uwsgi_temp_path {prefix.Combine("uwsgi")}; scgi_temp_path {prefix.Combine("scgi")};")
            .AppendLine(limitRate is null ? "" : $"  limit_rate {limitRate};")
            .AppendLine(CultureInfo.InvariantCulture, $"  server {{ listen 127.0.0.1:{port}; root {root}; }}")
            .AppendLine("}");
        var path = prefix.Combine("nginx.conf");
        await File.WriteAllTextAsync(path, config.ToString());
        var nginx = ProcessRunner.Which("nginx") ?? (File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : null)
            ?? throw new InvalidOperationException("'nginx' is not installed; this test needs it. Install it with: apt-get install -y nginx");
        var process = BackgroundProcess.Start(nginx, ["-p", prefix.Path, "-c", path], "apt-get install -y nginx");
        var server = new NginxStaticServer(process, prefix, port);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await process.WaitUntilAsync(async () => { using var _ = await http.GetAsync(server.BaseUrl + "/"); return true; }, TimeSpan.FromSeconds(20), "nginx");
        return server;
    }

    /// <summary>How many requests the access log shows for a path (nginx writes a line as each request ends).</summary>
    public int RequestsFor(string path)
    {
        var log = _prefix.Combine("access.log");
        return File.Exists(log)
            ? File.ReadLines(log).Count(line => line.Contains($"\"GET {path} HTTP/", StringComparison.Ordinal))
            : 0;
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _prefix.Dispose();
    }
}
