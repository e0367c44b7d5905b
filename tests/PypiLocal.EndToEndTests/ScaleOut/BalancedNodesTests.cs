using System.Net;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.ScaleOut;

/// <summary>
/// Three nodes on one folder and one Redis behind a real haproxy: pip installs through the balancer, and keeps
/// succeeding while one node is stopped mid-run.
/// </summary>
public sealed class BalancedNodesTests : IAsyncLifetime
{
    private readonly TempFolder _packages = new("pypilocal-balanced");
    private RedisServer _redis = null!;
    private PypiLocalServer[] _nodes = [];
    private HaproxyBalancer _balancer = null!;
    private PythonEnvironment _python = null!;

    public async Task InitializeAsync()
    {
        DistributionBuilder.Wheel(_packages.Path, "alpha", "1.0", requiresDist: ["beta"]);
        DistributionBuilder.Wheel(_packages.Path, "beta", "1.0");
        DistributionBuilder.Wheel(_packages.Path, "gamma", "1.0");
        _redis = await RedisServer.StartAsync();
        _nodes = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            PypiLocalServer.StartAsync(["serve", _packages.Path], new Dictionary<string, string?> { ["ConnectionStrings__cache"] = _redis.ConnectionString })));
        _balancer = await HaproxyBalancer.StartAsync(_nodes.Select(n => n.Port));
        _python = await PythonEnvironment.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        _python.Dispose();
        await _balancer.DisposeAsync();
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        await _redis.DisposeAsync();
        _packages.Dispose();
    }

    [Fact]
    public async Task Pip_installs_through_the_balancer_and_clients_keep_succeeding_while_a_node_is_stopped()
    {
        (await _python.InstallAsync(_balancer.IndexUrl, "alpha")).EnsureSuccess("pip install alpha through haproxy");
        Assert.Equal("1.0 1.0", await _python.RunAsync("import alpha, beta; print(alpha.VERSION, beta.VERSION)"));

        // Requests go on through the balancer before, while and after node 0 stops.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var statuses = new List<HttpStatusCode>();
        var stopped = new TaskCompletionSource();
        var load = Task.Run(async () =>
        {
            for (var i = 0; !stopped.Task.IsCompleted || i % 200 != 0; i++)
            {
                using var response = await http.GetAsync(_balancer.IndexUrl + (i % 2 == 0 ? "" : "gamma/"));
                lock (statuses) statuses.Add(response.StatusCode);
            }
        });
        await Task.Delay(200);
        await _nodes[0].StopAsync(TimeSpan.FromSeconds(10));
        stopped.SetResult();
        await load;

        Assert.True(statuses.Count >= 200, $"{statuses.Count} requests");
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        (await _python.InstallAsync(_balancer.IndexUrl, "gamma")).EnsureSuccess("pip install gamma with one node down");
        Assert.Equal("1.0", await _python.RunAsync("import gamma; print(gamma.VERSION)"));
    }
}
