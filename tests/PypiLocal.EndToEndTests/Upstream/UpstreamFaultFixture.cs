using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Upstream;

/// <summary>
/// A PypiLocal upstream reached through a TCP relay that can corrupt bytes, and a proxy whose upstream pages go stale
/// after one second, started once for <see cref="UpstreamFaultTests"/>. A test that breaks something (corruption,
/// a stopped upstream) puts it back before it ends.
/// </summary>
public sealed class UpstreamFaultFixture : IAsyncLifetime
{
    private readonly TempFolder _root = new("pypilocal-upstream-faults");

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromMinutes(1) };

    public PypiLocalServer Upstream { get; set; } = null!;

    public TcpRelay Relay { get; private set; } = null!;

    public PypiLocalServer Proxy { get; private set; } = null!;

    public string UpstreamFolder => _root.Combine("upstream");

    public string CacheFolder => _root.Combine("cache");

    public async Task InitializeAsync()
    {
        DistributionBuilder.Wheel(UpstreamFolder, "fault-app", "1.0", requiresDist: ["fault-dep"]);
        DistributionBuilder.Wheel(UpstreamFolder, "fault-dep", "1.0");
        DistributionBuilder.Wheel(UpstreamFolder, "corrupt-small", "1.0", paddingBytes: 4000);
        DistributionBuilder.Wheel(UpstreamFolder, "corrupt-large", "1.0", paddingBytes: 3 << 20);
        DistributionBuilder.Wheel(UpstreamFolder, "yankable", "1.0");
        Upstream = await PypiLocalServer.ServeAsync(UpstreamFolder, "-a", ".");
        Relay = new TcpRelay(Upstream.Port);
        Relay.Start();
        Proxy = await PypiLocalServer.StartAsync(
            ["serve", _root.Combine("local"), "--upstream", $"http://127.0.0.1:{Relay.Port}/simple/"],
            new Dictionary<string, string?>
            {
                ["Upstream__CacheDirectory"] = CacheFolder,
                ["Upstream__Ttl"] = "00:00:01",
                ["Upstream__RequestTimeout"] = "00:00:05",
            });
    }

    public async Task DisposeAsync()
    {
        await (Proxy?.DisposeAsync() ?? ValueTask.CompletedTask);
        await (Relay?.DisposeAsync() ?? ValueTask.CompletedTask);
        await (Upstream?.DisposeAsync() ?? ValueTask.CompletedTask);
        Http.Dispose();
        _root.Dispose();
    }
}
