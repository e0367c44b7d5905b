using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Upstream;

/// <summary>
/// Faults between the proxy and its upstream (<see cref="UpstreamFaultFixture"/>): corrupted files are refused and not
/// kept, and with the upstream stopped what was fetched before still installs while /health says Degraded.
/// </summary>
public sealed class UpstreamFaultTests(UpstreamFaultFixture f) : IClassFixture<UpstreamFaultFixture>
{
    // Every test wheel's METADATA says this; the wheels padded here are stored uncompressed, so it travels as is.
    private static readonly byte[] Marker = Encoding.ASCII.GetBytes("A package built by the PypiLocal tests.");

    private string FileUrl(string project) => $"{f.Proxy.BaseUrl}/packages/{project}/{DistributionBuilder.WheelFilename(project, "1.0")}";

    private string Original(string project) =>
        Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(f.UpstreamFolder, DistributionBuilder.WheelFilename(project, "1.0")))));

    private bool Kept(string project) => File.Exists(Path.Combine(f.CacheFolder, "files", project, DistributionBuilder.WheelFilename(project, "1.0")));

    [Fact]
    public async Task A_small_file_corrupted_on_the_way_is_a_502_with_the_reason_and_is_not_kept()
    {
        f.Relay.CorruptMarker = Marker;
        using (var corrupted = await f.Http.GetAsync(FileUrl("corrupt-small")))
        {
            Assert.Equal(HttpStatusCode.BadGateway, corrupted.StatusCode);
            Assert.Contains("do not match its sha256", corrupted.ReasonPhrase, StringComparison.Ordinal);
        }

        Assert.False(Kept("corrupt-small"));

        f.Relay.CorruptMarker = null;
        var bytes = await f.Http.GetByteArrayAsync(FileUrl("corrupt-small"));
        Assert.Equal(Original("corrupt-small"), Convert.ToHexStringLower(SHA256.HashData(bytes)));

        // A reader is answered once the bytes are verified, while they are still being kept: wait for the copy.
        Assert.True(await Eventually.TrueAsync(() => Kept("corrupt-small"), TimeSpan.FromSeconds(15)), "the verified file is kept");
    }

    [Fact]
    public async Task A_large_file_corrupted_on_the_way_fails_the_transfer_never_completes_it_and_is_not_kept()
    {
        f.Relay.CorruptMarker = Marker;
        var failure = await Record.ExceptionAsync(() => f.Http.GetByteArrayAsync(FileUrl("corrupt-large")));
        f.Relay.CorruptMarker = null;

        Assert.True(failure is HttpRequestException or IOException, $"the transfer must fail, got {failure?.GetType().Name ?? "a complete body"}");
        Assert.False(Kept("corrupt-large"));
        var bytes = await f.Http.GetByteArrayAsync(FileUrl("corrupt-large"));
        Assert.Equal(Original("corrupt-large"), Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    [Fact]
    public async Task With_the_upstream_stopped_pip_installs_what_was_fetched_before_and_health_is_degraded()
    {
        using var python = await PythonEnvironment.CreateAsync();
        (await python.InstallAsync(f.Proxy.IndexUrl, "fault-app")).EnsureSuccess("pip install fault-app with the upstream up");
        Assert.Equal("Healthy", await f.Http.GetStringAsync(f.Proxy.BaseUrl + "/health"));

        var port = f.Upstream.Port;
        await f.Upstream.StopAsync(TimeSpan.FromSeconds(20));
        try
        {
            // Past the one-second TTL a page is revalidated, and the revalidation fails: wait until the proxy saw that.
            await Eventually.TrueAsync(
                async () =>
                {
                    (await f.Http.GetAsync(f.Proxy.IndexUrl + "fault-app/")).Dispose();
                    return await f.Http.GetStringAsync(f.Proxy.BaseUrl + "/health") == "Degraded";
                },
                TimeSpan.FromSeconds(30));

            var again = await python.PipAsync("install", "--force-reinstall", "--index-url", f.Proxy.IndexUrl, "fault-app");

            again.EnsureSuccess("pip install fault-app with the upstream stopped");
            Assert.Contains("Successfully installed fault-app-1.0 fault-dep-1.0", again.StandardOutput, StringComparison.Ordinal);
            Assert.Equal("Degraded", await f.Http.GetStringAsync(f.Proxy.BaseUrl + "/health"));
            using var unknown = await f.Http.GetAsync(f.Proxy.IndexUrl + "never-fetched/");
            Assert.True(
                unknown.StatusCode == HttpStatusCode.BadGateway,
                $"never-fetched answered {(int)unknown.StatusCode} {unknown.ReasonPhrase}; the proxy's failures: {string.Join("\n", f.Proxy.UnhandledExceptions())}");
        }
        finally
        {
            await f.Upstream.DisposeAsync();
            f.Upstream = await PypiLocalServer.StartAsync(["serve", f.UpstreamFolder, "-a", "."], port: port);
        }
    }

    [Fact]
    public async Task An_upstream_yank_shows_after_the_next_revalidation()
    {
        var filename = DistributionBuilder.WheelFilename("yankable", "1.0");
        Assert.Equal("false", await YankedAsync());

        using var yank = await f.Http.PostAsync($"{f.Upstream.BaseUrl}/api/projects/yankable/files/{filename}/yank?reason=broken%20build", null);
        yank.EnsureSuccessStatusCode();

        await Eventually.TrueAsync(async () => await YankedAsync() == "\"broken build\"", TimeSpan.FromSeconds(20));
        Assert.Equal("\"broken build\"", await YankedAsync());
    }

    private async Task<string> YankedAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, f.Proxy.IndexUrl + "yankable/");
        request.Headers.Accept.ParseAdd("application/vnd.pypi.simple.v1+json");
        using var response = await f.Http.SendAsync(request);
        using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return page.RootElement.GetProperty("files")[0].GetProperty("yanked").GetRawText();
    }
}
