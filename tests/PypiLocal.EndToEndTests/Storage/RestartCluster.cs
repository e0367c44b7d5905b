using PypiLocal.EndToEndTests.Support;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Storage;

/// <summary>
/// Three nodes on one moto_server (checking signatures, keeping its objects over a restart, as a real store does) and
/// one redis-server, started once for <see cref="RestartFaultTests"/>.
/// </summary>
public sealed class RestartCluster : IAsyncLifetime
{
    private readonly TempFolder _root = new("pypilocal-restarts");
    private readonly List<PypiLocalServer> _nodes = [];

    public MotoServer Moto { get; private set; } = null!;

    public RedisServer Redis { get; private set; } = null!;

    public IReadOnlyList<PypiLocalServer> Nodes => _nodes;

    public string Root => _root.Path;

    public async Task InitializeAsync()
    {
        var passwords = _root.Combine("htpasswd");
        await Twine.WritePasswordsAsync(passwords);
        Moto = await MotoServer.StartAsync(keepObjects: true);
        Redis = await RedisServer.StartAsync();
        _nodes.AddRange(await Task.WhenAll(Enumerable.Range(0, 3).Select(StartNodeAsync)));
    }

    /// <summary>Starts a node on the cluster's store and Redis (the caller disposes of it unless it is one of the three).</summary>
    public Task<PypiLocalServer> StartNodeAsync(int staging) => PypiLocalServer.StartAsync(
        ["serve", "-P", _root.Combine("htpasswd")],
        new Dictionary<string, string?>
        {
            ["ConnectionStrings__storage"] = Moto.ConnectionString,
            ["ConnectionStrings__cache"] = Redis.ConnectionString,
            ["Publishing__StagingDirectory"] = Directory.CreateDirectory(_root.Combine($"staging-{staging}")).FullName,
        });

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        await Redis.DisposeAsync();
        await Moto.DisposeAsync();
        _root.Dispose();
    }

    /// <summary>What the nodes failed with unhandled (500s), for a failing assertion.</summary>
    public string Failures() => string.Join("\n", _nodes.SelectMany(n => n.UnhandledExceptions()));
}
