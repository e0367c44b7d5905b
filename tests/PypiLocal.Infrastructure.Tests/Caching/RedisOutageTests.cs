using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PypiLocal.Core.Pages;
using PypiLocal.Infrastructure.Caching;
using PypiLocal.Protocol.Simple;
using PypiLocal.Testing;

namespace PypiLocal.Infrastructure.Tests.Caching;

/// <summary>Redis stopped and restarted under load: requests keep succeeding from storage, health follows, nothing stale after.</summary>
[Collection(RedisTimingCollection.Name)]
public sealed class RedisOutageTests : IAsyncLifetime
{
    private readonly SharedCatalog _catalog = new();
    private RedisServer _redis = null!;
    private TwoNodes _caches = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        var prefix = RedisFixture.UniquePrefix();
        _caches = new TwoNodes(RedisFixture.Node(_redis, prefix), RedisFixture.Node(_redis, prefix));
    }

    public async Task DisposeAsync()
    {
        await _caches.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Every_request_succeeds_while_redis_is_down_and_the_cache_comes_back_by_itself()
    {
        var nodes = new[] { RedisFixture.Pages(_catalog, _caches.A), RedisFixture.Pages(_catalog, _caches.B) };
        var health = new RedisCacheHealthCheck(_caches.A);
        for (var i = 0; i < 20; i++)
        {
            _catalog.Add($"p{i}", "1.0");
        }

        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(new HealthCheckContext())).Status);
        using var stop = new CancellationTokenSource();
        var failures = new List<string>();
        long served = 0;
        var load = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var project = $"p{(worker + n) % 20}";
                try
                {
                    var page = await nodes[worker % 2].GetProjectAsync(project, SimpleMediaType.JsonV1, CancellationToken.None);
                    if (page is null || !Encoding.UTF8.GetString(page.Body).Contains(SharedCatalog.Filename(project, "1.0"), StringComparison.Ordinal))
                    {
                        lock (failures) failures.Add($"{project}: wrong page");
                    }
                }
                catch (Exception e)
                {
                    lock (failures) failures.Add($"{project}: {e.GetType().Name} {e.Message}");
                }

                Interlocked.Increment(ref served);
            }
        })).ToArray();

        Assert.True(await Eventually.TrueAsync(() => Interlocked.Read(ref served) > 20, TimeSpan.FromSeconds(30)), "the load got going");
        await _redis.StopAsync();
        var servedWhenStopped = Interlocked.Read(ref served);
        await Eventually.TrueAsync(() => Interlocked.Read(ref served) > servedWhenStopped + 10, TimeSpan.FromSeconds(30));

        // An upload while Redis is away: its invalidation is lost, so the cache must be distrusted afterwards.
        var cachedBeforeOutage = await nodes[1].GetProjectAsync("p0", SimpleMediaType.JsonV1, default);
        _catalog.Add("p0", "2.0");
        await _caches.A.InvalidateProjectAsync("p0", default);
        Assert.Equal(HealthStatus.Degraded, (await health.CheckHealthAsync(new HealthCheckContext())).Status);
        Assert.True(Interlocked.Read(ref served) > servedWhenStopped + 10, "requests kept being served while Redis was down");

        await _redis.StartAsync();
        // Generous: reconnect backoff stretches when the machine is busy with other tests.
        await Eventually.TrueAsync(async () => (await health.CheckHealthAsync(new HealthCheckContext())).Status == HealthStatus.Healthy, TimeSpan.FromSeconds(60));
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(new HealthCheckContext())).Status);
        var servedWhenBack = Interlocked.Read(ref served);
        await Eventually.TrueAsync(() => Interlocked.Read(ref served) > servedWhenBack + 10, TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.Empty(failures);
        Assert.Contains(SharedCatalog.Filename("p0", "1.0"), Encoding.UTF8.GetString(cachedBeforeOutage!.Body), StringComparison.Ordinal);
        foreach (var node in nodes)
        {
            var page = await node.GetProjectAsync("p0", SimpleMediaType.JsonV1, default);
            Assert.Contains(SharedCatalog.Filename("p0", "2.0"), Encoding.UTF8.GetString(page!.Body), StringComparison.Ordinal);
        }

        // Back to caching: once rendered, a read renders nothing new (a few tries: one Redis call may time out
        // on a loaded machine, which is a legitimate miss).
        await nodes[0].GetProjectAsync("p1", SimpleMediaType.JsonV1, default);
        var cachedAgain = false;
        for (var attempt = 0; attempt < 10 && !cachedAgain; attempt++)
        {
            var renders = nodes[0].RenderCount;
            await nodes[0].GetProjectAsync("p1", SimpleMediaType.JsonV1, default);
            cachedAgain = nodes[0].RenderCount == renders;
        }

        Assert.True(cachedAgain, "pages are cached again after the restart");

        // One Redis call that times out on a loaded machine marks a node degraded until its next success.
        await Eventually.TrueAsync(
            async () =>
            {
                await nodes[0].GetProjectAsync("p1", SimpleMediaType.JsonV1, default);
                await nodes[1].GetProjectAsync("p1", SimpleMediaType.JsonV1, default);
                return !_caches.A.IsDegraded && !_caches.B.IsDegraded;
            },
            TimeSpan.FromSeconds(30));

        Assert.False(_caches.A.IsDegraded);
        Assert.False(_caches.B.IsDegraded);
    }
}
