using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Upstream;

/// <summary>
/// Two nodes on one real S3 bucket (moto, checking signatures) and one redis-server, in front of nginx serving a static
/// PEP 503 tree with core metadata, started once for <see cref="UpstreamRaceTests"/>. nginx sends each response at
/// 1 MB/s, so fetches overlap and a node can be killed while one runs; its access log counts the fetches. The nodes reach
/// it through a relay that a test cuts to stop the upstream for them, and restores before it ends. Parts are 5 MiB, so
/// the larger files are kept by multipart uploads, whose completion is the conditional create that decides the race.
/// </summary>
public sealed class UpstreamRaceFixture : IAsyncLifetime
{
    public const string Bucket = "upstream-race";

    private readonly TempFolder _root = new("pypilocal-upstream-race");
    private readonly List<PypiLocalServer> _nodes = [];
    private readonly Dictionary<PypiLocalServer, string> _temporaryFolders = [];
    private Dictionary<string, string?> _environment = [];

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromMinutes(2) };

    public MotoServer Moto { get; private set; } = null!;

    public RedisServer Redis { get; private set; } = null!;

    public NginxStaticServer Upstream { get; private set; } = null!;

    public TcpRelay Relay { get; private set; } = null!;

    public IReadOnlyList<PypiLocalServer> Nodes => _nodes;

    /// <summary>The upstream's tree: <c>packages/</c> holds the files and their <c>.metadata</c>.</summary>
    public string UpstreamFolder => _root.Combine("html");

    public async Task InitializeAsync()
    {
        var built = _root.Combine("built");
        StaticIndexTree.Write(
            UpstreamFolder,
            [
                ("race-lib", DistributionBuilder.Wheel(built, "race-lib", "1.0", paddingBytes: 6 << 20)),
                ("killed-lib", DistributionBuilder.Wheel(built, "killed-lib", "1.0", paddingBytes: 4 << 20)),
            ],
            coreMetadata: true);
        Upstream = await NginxStaticServer.StartAsync(UpstreamFolder, limitRate: "1m");
        Relay = TcpRelay.Start(Upstream.Port);
        Moto = await MotoServer.StartAsync();
        Redis = await RedisServer.StartAsync();
        _environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__storage"] = Moto.ConnectionString,
            ["ConnectionStrings__cache"] = Redis.ConnectionString,
            ["Storage__S3__Bucket"] = Bucket,
            ["Storage__S3__PartSize"] = (5 << 20).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Upstream__Indexes__0__Url"] = $"http://127.0.0.1:{Relay.Port}/simple/",
        };

        // One after the other, so that a node that fails to start leaves the others to DisposeAsync.
        for (var i = 0; i < 2; i++)
        {
            _nodes.Add(await StartNodeAsync());
        }
    }

    /// <summary>
    /// Another node of the same cluster (the caller disposes of it: a SIGKILL), with a temporary folder of its own
    /// (<see cref="TemporaryFolder"/>), where it writes the files it is fetching.
    /// </summary>
    public async Task<PypiLocalServer> StartNodeAsync()
    {
        var temporary = Directory.CreateDirectory(_root.Combine("tmp", Guid.NewGuid().ToString("N"))).FullName;
        var node = await PypiLocalServer.StartAsync(["serve"], new Dictionary<string, string?>(_environment) { ["TMPDIR"] = temporary });
        _temporaryFolders[node] = temporary;
        return node;
    }

    /// <summary>The temporary folder of a node this fixture started.</summary>
    public string TemporaryFolder(PypiLocalServer node) => _temporaryFolders[node];

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        await (Relay?.DisposeAsync() ?? ValueTask.CompletedTask);
        await (Upstream?.DisposeAsync() ?? ValueTask.CompletedTask);
        await (Redis?.DisposeAsync() ?? ValueTask.CompletedTask);
        await (Moto?.DisposeAsync() ?? ValueTask.CompletedTask);
        Http.Dispose();
        _root.Dispose();
    }
}
