using System.Diagnostics;
using PypiLocal.Testing;

namespace Soak;

/// <summary>
/// Three index nodes on loopback, each reaching one moto_server (checking signatures, keeping its objects over a
/// restart) through a relay of its own, all sharing one redis-server; and the faults played on them. Nodes keep their
/// ports through a kill, so clients keep their URLs.
/// </summary>
internal sealed class Cluster : IAsyncDisposable
{
    private readonly TempFolder _root;
    private readonly MotoServer _moto;
    private readonly RedisServer _redis;
    private readonly TcpRelay[] _relays;
    private readonly PypiLocalServer?[] _nodes;
    private readonly int[] _ports;
    private readonly List<string> _unhandled = [];
    private readonly List<(int Node, string Log)> _killedLogs = [];

    private Cluster(TempFolder root, MotoServer moto, RedisServer redis, TcpRelay[] relays, int[] ports)
    {
        _root = root;
        _moto = moto;
        _redis = redis;
        _relays = relays;
        _ports = ports;
        _nodes = new PypiLocalServer?[ports.Length];
    }

    public const string User = "alice";
    public const string Password = "secret";

    public IReadOnlyList<string> NodeUrls => [.. _ports.Select(p => $"http://127.0.0.1:{p}")];

    public string Root => _root.Path;

    public static async Task<Cluster> StartAsync(int nodes)
    {
        var root = new TempFolder("pypilocal-soak");
        await File.WriteAllTextAsync(root.Combine("htpasswd"), $"{User}:{{SHA}}{Convert.ToBase64String(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(Password)))}\n");
        var moto = await MotoServer.StartAsync(keepObjects: true);
        var redis = await RedisServer.StartAsync();
        var relays = Enumerable.Range(0, nodes).Select(_ => TcpRelay.Start(moto.Port)).ToArray();
        var cluster = new Cluster(root, moto, redis, relays, [.. Enumerable.Range(0, nodes).Select(_ => FreePort.Next())]);
        await Task.WhenAll(Enumerable.Range(0, nodes).Select(cluster.StartNodeAsync));
        return cluster;
    }

    /// <summary>kill -9 of a node (no shutdown at all), and its start again on the same port.</summary>
    public async Task KillNodeAsync(int node)
    {
        if (_nodes[node] is { } server)
        {
            _unhandled.AddRange(server.UnhandledExceptions());
            _killedLogs.Add((node, server.Log));
            using (var process = Process.GetProcessById(server.ProcessId))
            {
                process.Kill();
                await process.WaitForExitAsync();
            }

            await server.DisposeAsync();
            _nodes[node] = null;
        }
    }

    public Task StartNodeAsync(int node) => StartNodeCoreAsync(node);

    public Task StopRedisAsync() => _redis.StopAsync();

    public Task StartRedisAsync() => _redis.StartAsync();

    public Task StopStoreAsync() => _moto.StopAsync();

    public Task StartStoreAsync() => _moto.StartAsync();

    /// <summary>What the nodes, killed ones included, failed with unhandled (their 500s).</summary>
    public IReadOnlyList<string> UnhandledExceptions() => [.. _unhandled, .. _nodes.OfType<PypiLocalServer>().SelectMany(n => n.UnhandledExceptions())];

    /// <summary>Every key in the bucket, listed by boto3 (not through a node), to tell a lost file's bytes from its listing.</summary>
    public Task<IReadOnlyList<string>> StoreKeysAsync() => _moto.ListKeysAsync();

    /// <summary>Writes moto's log (every run) and each node's (every run, killed ones included) into <paramref name="folder"/>.</summary>
    public async Task SaveLogsAsync(string folder)
    {
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "moto.log"), _moto.AllLogs);
        for (var node = 0; node < _nodes.Length; node++)
        {
            var runs = _killedLogs.Where(k => k.Node == node).Select(k => k.Log + "--- killed ---\n").Append(_nodes[node]?.Log ?? "");
            await File.WriteAllTextAsync(Path.Combine(folder, $"node-{node}.log"), string.Concat(runs));
        }
    }

    public TcpRelay RelayOf(int node) => _relays[node];

    public int NodeCount => _ports.Length;

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }
        }

        foreach (var relay in _relays)
        {
            await relay.DisposeAsync();
        }

        await _redis.DisposeAsync();
        await _moto.DisposeAsync();
        _root.Dispose();
    }

    private async Task StartNodeCoreAsync(int node)
    {
        _nodes[node] = await PypiLocalServer.StartAsync(
            ["serve", "-P", _root.Combine("htpasswd")],
            new Dictionary<string, string?>
            {
                ["ConnectionStrings__storage"] = $"Endpoint=http://127.0.0.1:{_relays[node].Port};AccessKey={_moto.AccessKey};SecretKey={_moto.SecretKey}",
                ["ConnectionStrings__cache"] = _redis.ConnectionString,
                ["Publishing__StagingDirectory"] = Directory.CreateDirectory(_root.Combine($"staging-{node}")).FullName,

                // A stalled store fails a request after this, so a stall is a refusal rather than a long wait.
                ["Storage__S3__RequestTimeout"] = "00:00:06",
            },
            _ports[node]);
    }
}
