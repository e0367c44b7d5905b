using System.Diagnostics;
using System.Net;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.ScaleOut;

/// <summary>
/// Three real <c>pypilocal serve</c> processes reading one folder and sharing one real redis-server,
/// as nodes behind a balancer would: a new file shows on every node within 2 s, and killing Redis
/// leaves every node answering (health: Degraded) until it is back.
/// </summary>
public sealed class SharedFolderScaleOutTests : IAsyncLifetime
{
    private readonly TempFolder _packages = new("pypilocal-scaleout");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private RedisServer _redis = null!;
    private PypiLocalServer[] _nodes = [];

    public async Task InitializeAsync()
    {
        DistributionBuilder.Wheel(_packages.Path, "alpha", "1.0");
        DistributionBuilder.Wheel(_packages.Path, "beta", "1.0");
        _redis = await RedisServer.StartAsync();
        _nodes = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            PypiLocalServer.StartAsync(["serve", _packages.Path], new Dictionary<string, string?> { ["ConnectionStrings__cache"] = _redis.ConnectionString })));
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        await _redis.DisposeAsync();
        _http.Dispose();
        _packages.Dispose();
    }

    [Fact]
    public async Task A_file_dropped_into_the_folder_is_listed_by_every_node_within_two_seconds()
    {
        // Every node has the pages cached before the change.
        foreach (var node in _nodes)
        {
            Assert.Contains("alpha-1.0-py3-none-any.whl", await GetAsync(node, "/simple/alpha/"), StringComparison.Ordinal);
            Assert.DoesNotContain("gamma", await GetAsync(node, "/simple/"), StringComparison.Ordinal);
        }

        var clock = Stopwatch.StartNew();
        DistributionBuilder.Wheel(_packages.Path, "alpha", "2.0");
        DistributionBuilder.Wheel(_packages.Path, "gamma", "1.0");

        var pending = new HashSet<int>(Enumerable.Range(0, _nodes.Length));
        while (pending.Count > 0 && clock.Elapsed < TimeSpan.FromSeconds(2))
        {
            foreach (var i in pending.ToList())
            {
                if ((await GetAsync(_nodes[i], "/simple/alpha/")).Contains("alpha-2.0-py3-none-any.whl", StringComparison.Ordinal)
                    && (await GetAsync(_nodes[i], "/simple/")).Contains("/simple/gamma/", StringComparison.Ordinal))
                {
                    pending.Remove(i);
                }
            }

            await Task.Delay(50);
        }

        Assert.True(pending.Count == 0, $"nodes {string.Join(", ", pending)} still served the old pages after {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task Every_node_keeps_answering_when_redis_is_killed_and_reports_healthy_again_after_it_returns()
    {
        foreach (var node in _nodes)
        {
            Assert.Equal("Healthy", await GetAsync(node, "/health"));
            Assert.Contains("/simple/alpha/", await GetAsync(node, "/simple/"), StringComparison.Ordinal);
        }

        Assert.True(await _redis.KeyCountAsync() > 0, "the nodes cache their pages in Redis");
        await _redis.StopAsync();
        for (var round = 0; round < 20; round++)
        {
            foreach (var node in _nodes)
            {
                Assert.Contains("alpha-1.0-py3-none-any.whl", await GetAsync(node, "/simple/alpha/"), StringComparison.Ordinal);
                Assert.Contains("/simple/beta/", await GetAsync(node, "/simple/"), StringComparison.Ordinal);
            }
        }

        foreach (var node in _nodes)
        {
            Assert.Equal("Degraded", await GetAsync(node, "/health"));
        }

        await _redis.StartAsync();
        var clock = Stopwatch.StartNew();
        foreach (var node in _nodes)
        {
            while (await GetAsync(node, "/health") != "Healthy" && clock.Elapsed < TimeSpan.FromSeconds(15))
            {
                await Task.Delay(100);
            }

            Assert.Equal("Healthy", await GetAsync(node, "/health"));
        }
    }

    /// <summary>A GET that must succeed (200); returns the body.</summary>
    private async Task<string> GetAsync(PypiLocalServer node, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, node.BaseUrl + path);
        request.Headers.TryAddWithoutValidation("Accept", "text/html");
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{node.BaseUrl}{path} answered {(int)response.StatusCode}: {body}\n{node.Log}");
        return body;
    }
}
