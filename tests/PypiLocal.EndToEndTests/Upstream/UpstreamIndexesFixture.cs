using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Upstream;

/// <summary>
/// Two real upstream indexes and a proxy in front of them, started once for a test class:
/// a second PypiLocal serving a folder (PEP 691 JSON with upload times), nginx serving a static PEP 503 HTML tree (no
/// JSON, no upload times, no sizes), and PypiLocal serving its own folder with both as upstreams, in that order.
/// </summary>
public sealed class UpstreamIndexesFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset LongAgo = DateTimeOffset.UtcNow - TimeSpan.FromDays(30);

    private readonly TempFolder _root = new("pypilocal-upstreams");

    public PypiLocalServer Upstream { get; private set; } = null!;

    public NginxStaticServer Html { get; private set; } = null!;

    public PypiLocalServer Proxy { get; private set; } = null!;

    public PythonEnvironment Python { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromMinutes(1) };

    /// <summary>The upstream PypiLocal's folder (what it serves).</summary>
    public string UpstreamFolder => _root.Combine("upstream");

    public string HtmlFolder => _root.Combine("html");

    public string CacheFolder => _root.Combine("cache");

    public string Scratch(string name) => Directory.CreateDirectory(_root.Combine("scratch", name)).FullName;

    public async Task InitializeAsync()
    {
        // The proxy's own projects: app needs one project of each upstream; shadowed exists upstream too, newer.
        var local = _root.Combine("local");
        DistributionBuilder.Wheel(local, "app", "1.0", requiresDist: ["uplib", "htmllib"]);
        DistributionBuilder.Wheel(local, "shadowed", "1.0");

        // The JSON upstream: a chain, a higher shadowed, and a project with an old and a fresh release.
        DistributionBuilder.Wheel(UpstreamFolder, "uplib", "1.0", requiresDist: ["upleaf>=1"], requiresPython: ">=3.8");
        DistributionBuilder.Wheel(UpstreamFolder, "upleaf", "1.0");
        DistributionBuilder.Wheel(UpstreamFolder, "shadowed", "9.0");
        File.SetLastWriteTimeUtc(DistributionBuilder.Wheel(UpstreamFolder, "fresh-lib", "1.0"), LongAgo.UtcDateTime);
        DistributionBuilder.Wheel(UpstreamFolder, "fresh-lib", "2.0");

        // The HTML upstream: a plain project, a 3 MB one, and one only ever asked for by range.
        var built = _root.Combine("built");
        StaticIndexTree.Write(HtmlFolder, [
            ("htmllib", DistributionBuilder.Wheel(built, "htmllib", "1.0")),
            ("big-html", DistributionBuilder.Wheel(built, "big-html", "1.0", paddingBytes: 3 << 20)),
            ("ranged", DistributionBuilder.Wheel(built, "ranged", "1.0", paddingBytes: 50_000)),
        ]);

        Upstream = await PypiLocalServer.ServeAsync(UpstreamFolder);
        Html = await NginxStaticServer.StartAsync(HtmlFolder);
        Proxy = await PypiLocalServer.StartAsync(
            ["serve", local, "--upstream", Upstream.IndexUrl, "--upstream", Html.BaseUrl + "/simple/"],
            new Dictionary<string, string?>
            {
                ["Upstream__CacheDirectory"] = CacheFolder,
                ["Upstream__Projects__fresh-lib__MinAge"] = "7.00:00:00",
            });
        Python = await PythonEnvironment.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        await (Proxy?.DisposeAsync() ?? ValueTask.CompletedTask);
        await (Html?.DisposeAsync() ?? ValueTask.CompletedTask);
        await (Upstream?.DisposeAsync() ?? ValueTask.CompletedTask);
        Python?.Dispose();
        Http.Dispose();
        _root.Dispose();
    }
}
