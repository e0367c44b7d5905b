using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Upstream;

/// <summary>
/// A PypiLocal upstream reached through a TCP relay that can corrupt bytes, and a proxy whose upstream pages go stale
/// after one second: corrupted files are refused and not kept, and with the upstream stopped what was fetched before
/// still installs while /health says Degraded.
/// </summary>
public sealed class UpstreamFaultTests : IAsyncLifetime
{
    // Every test wheel's METADATA says this; the wheels padded here are stored uncompressed, so it travels as is.
    private static readonly byte[] Marker = Encoding.ASCII.GetBytes("A package built by the PypiLocal tests.");

    private readonly TempFolder _root = new("pypilocal-upstream-faults");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(1) };
    private PypiLocalServer _upstream = null!;
    private TcpRelay _relay = null!;
    private PypiLocalServer _proxy = null!;

    private string UpstreamFolder => _root.Combine("upstream");

    private string CacheFolder => _root.Combine("cache");

    public async Task InitializeAsync()
    {
        DistributionBuilder.Wheel(UpstreamFolder, "fault-app", "1.0", requiresDist: ["fault-dep"]);
        DistributionBuilder.Wheel(UpstreamFolder, "fault-dep", "1.0");
        DistributionBuilder.Wheel(UpstreamFolder, "corrupt-small", "1.0", paddingBytes: 4000);
        DistributionBuilder.Wheel(UpstreamFolder, "corrupt-large", "1.0", paddingBytes: 3 << 20);
        DistributionBuilder.Wheel(UpstreamFolder, "yankable", "1.0");
        _upstream = await PypiLocalServer.ServeAsync(UpstreamFolder, "-a", ".");
        _relay = new TcpRelay(_upstream.Port);
        _relay.Start();
        _proxy = await PypiLocalServer.StartAsync(
            ["serve", _root.Combine("local"), "--upstream", $"http://127.0.0.1:{_relay.Port}/simple/"],
            new Dictionary<string, string?>
            {
                ["Upstream__CacheDirectory"] = CacheFolder,
                ["Upstream__Ttl"] = "00:00:01",
                ["Upstream__RequestTimeout"] = "00:00:05",
            });
    }

    public async Task DisposeAsync()
    {
        await (_proxy?.DisposeAsync() ?? ValueTask.CompletedTask);
        await (_relay?.DisposeAsync() ?? ValueTask.CompletedTask);
        await (_upstream?.DisposeAsync() ?? ValueTask.CompletedTask);
        _http.Dispose();
        _root.Dispose();
    }

    private string FileUrl(string project) => $"{_proxy.BaseUrl}/packages/{project}/{DistributionBuilder.WheelFilename(project, "1.0")}";

    private string Original(string project) =>
        Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(UpstreamFolder, DistributionBuilder.WheelFilename(project, "1.0")))));

    private bool Kept(string project) => File.Exists(Path.Combine(CacheFolder, "files", project, DistributionBuilder.WheelFilename(project, "1.0")));

    [Fact]
    public async Task A_small_file_corrupted_on_the_way_is_a_502_with_the_reason_and_is_not_kept()
    {
        _relay.CorruptMarker = Marker;
        using (var corrupted = await _http.GetAsync(FileUrl("corrupt-small")))
        {
            Assert.Equal(HttpStatusCode.BadGateway, corrupted.StatusCode);
            Assert.Contains("do not match its sha256", corrupted.ReasonPhrase, StringComparison.Ordinal);
        }

        Assert.False(Kept("corrupt-small"));

        _relay.CorruptMarker = null;
        var bytes = await _http.GetByteArrayAsync(FileUrl("corrupt-small"));
        Assert.Equal(Original("corrupt-small"), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.True(Kept("corrupt-small"));
    }

    [Fact]
    public async Task A_large_file_corrupted_on_the_way_fails_the_transfer_never_completes_it_and_is_not_kept()
    {
        _relay.CorruptMarker = Marker;
        var failure = await Record.ExceptionAsync(() => _http.GetByteArrayAsync(FileUrl("corrupt-large")));
        _relay.CorruptMarker = null;

        Assert.True(failure is HttpRequestException or IOException, $"the transfer must fail, got {failure?.GetType().Name ?? "a complete body"}");
        Assert.False(Kept("corrupt-large"));
        var bytes = await _http.GetByteArrayAsync(FileUrl("corrupt-large"));
        Assert.Equal(Original("corrupt-large"), Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    [Fact]
    public async Task With_the_upstream_stopped_pip_installs_what_was_fetched_before_and_health_is_degraded()
    {
        using var python = await PythonEnvironment.CreateAsync();
        (await python.InstallAsync(_proxy.IndexUrl, "fault-app")).EnsureSuccess("pip install fault-app with the upstream up");
        Assert.Equal("Healthy", await _http.GetStringAsync(_proxy.BaseUrl + "/health"));

        var port = _upstream.Port;
        await _upstream.StopAsync(TimeSpan.FromSeconds(20));
        try
        {
            // Past the one-second TTL: every page is revalidated, and every revalidation fails.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            var again = await python.PipAsync("install", "--force-reinstall", "--index-url", _proxy.IndexUrl, "fault-app");

            again.EnsureSuccess("pip install fault-app with the upstream stopped");
            Assert.Contains("Successfully installed fault-app-1.0 fault-dep-1.0", again.StandardOutput, StringComparison.Ordinal);
            Assert.Equal("Degraded", await _http.GetStringAsync(_proxy.BaseUrl + "/health"));
            using var unknown = await _http.GetAsync(_proxy.IndexUrl + "never-fetched/");
            Assert.Equal(HttpStatusCode.BadGateway, unknown.StatusCode);
        }
        finally
        {
            await _upstream.DisposeAsync();
            _upstream = await PypiLocalServer.StartAsync(["serve", UpstreamFolder, "-a", "."], port: port);
        }
    }

    [Fact]
    public async Task An_upstream_yank_shows_after_the_next_revalidation()
    {
        var filename = DistributionBuilder.WheelFilename("yankable", "1.0");
        Assert.Equal("false", await YankedAsync());

        using var yank = await _http.PostAsync($"{_upstream.BaseUrl}/api/projects/yankable/files/{filename}/yank?reason=broken%20build", null);
        yank.EnsureSuccessStatusCode();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (await YankedAsync() != "\"broken build\"" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Equal("\"broken build\"", await YankedAsync());
    }

    private async Task<string> YankedAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _proxy.IndexUrl + "yankable/");
        request.Headers.Accept.ParseAdd("application/vnd.pypi.simple.v1+json");
        using var response = await _http.SendAsync(request);
        using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return page.RootElement.GetProperty("files")[0].GetProperty("yanked").GetRawText();
    }
}
