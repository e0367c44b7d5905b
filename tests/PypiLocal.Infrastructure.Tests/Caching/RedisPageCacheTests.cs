using Microsoft.Extensions.Time.Testing;
using PypiLocal.Testing;
using System.Text;
using PypiLocal.Core.Caching;
using PypiLocal.Protocol.Simple;

namespace PypiLocal.Infrastructure.Tests.Caching;

[Collection(RedisTimingCollection.Name)]
public sealed class RedisPageCacheTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private static readonly PageKey Demo = PageKey.ForProject("demo", SimpleMediaType.JsonV1);
    private static readonly PageKey Other = PageKey.ForProject("other", SimpleMediaType.JsonV1);
    private static readonly PageKey Root = PageKey.Root(SimpleMediaType.TextHtml);

    private readonly string _prefix = RedisFixture.UniquePrefix();
    private TwoNodes _nodes = null!;

    public Task InitializeAsync()
    {
        _nodes = new TwoNodes(RedisFixture.Node(redis.Server, _prefix), RedisFixture.Node(redis.Server, _prefix));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _nodes.DisposeAsync();

    [Fact]
    public async Task A_stored_page_comes_back_with_its_body_content_type_and_etag()
    {
        var cache = _nodes.A;
        var miss = await cache.GetAsync(Demo, default);
        await cache.SetAsync(Demo, Page("v1"), miss.Generation, default);

        var hit = await cache.GetAsync(Demo, default);

        Assert.Null(miss.Page);
        Assert.True(miss.Generation >= 0, "a reachable Redis answers a real generation");
        Assert.Equal("v1", Encoding.UTF8.GetString(hit.Page!.Body));
        Assert.Equal(SimpleContentNegotiation.JsonV1, hit.Page.ContentType);
        Assert.Equal("\"etag-v1\"", hit.Page.ETag);
        Assert.Equal(miss.Generation, hit.Generation);
    }

    [Fact]
    public async Task Invalidating_a_project_drops_its_page_and_the_root_but_not_other_projects()
    {
        var cache = _nodes.A;
        foreach (var key in new[] { Demo, Other, Root })
        {
            await cache.SetAsync(key, Page(key.ToString()), (await cache.GetAsync(key, default)).Generation, default);
        }

        await cache.InvalidateProjectAsync("demo", default);

        Assert.Null((await cache.GetAsync(Demo, default)).Page);
        Assert.Null((await cache.GetAsync(Root, default)).Page);
        Assert.Equal(Other.ToString(), Encoding.UTF8.GetString((await cache.GetAsync(Other, default)).Page!.Body));
    }

    [Fact]
    public async Task A_page_rendered_before_an_invalidation_is_never_stored_for_later_readers()
    {
        var cache = _nodes.A;
        var before = await cache.GetAsync(Demo, default);

        await _nodes.B.InvalidateProjectAsync("demo", default);
        await cache.SetAsync(Demo, Page("rendered before the upload"), before.Generation, default);
        var after = await cache.GetAsync(Demo, default);

        Assert.Null(after.Page);
        Assert.NotEqual(before.Generation, after.Generation);
    }

    [Fact]
    public async Task Invalidating_everything_drops_every_page()
    {
        var cache = _nodes.A;
        foreach (var key in new[] { Demo, Other, Root })
        {
            await cache.SetAsync(key, Page("x"), (await cache.GetAsync(key, default)).Generation, default);
        }

        await _nodes.B.InvalidateAllAsync(default);

        foreach (var key in new[] { Demo, Other, Root })
        {
            Assert.Null((await cache.GetAsync(key, default)).Page);
        }
    }

    [Fact]
    public async Task Representations_and_key_prefixes_do_not_share_pages()
    {
        await using var elsewhere = RedisFixture.Node(redis.Server, RedisFixture.UniquePrefix());
        var cache = _nodes.A;
        await cache.SetAsync(Demo, Page("json"), (await cache.GetAsync(Demo, default)).Generation, default);

        Assert.Null((await cache.GetAsync(PageKey.ForProject("demo", SimpleMediaType.HtmlV1), default)).Page);
        Assert.Null((await elsewhere.GetAsync(Demo, default)).Page);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Invalidated_through_one_node_and_read_through_the_other_100_times_never_stale(bool nearCache)
    {
        var prefix = RedisFixture.UniquePrefix();
        await using var nodes = new TwoNodes(RedisFixture.Node(redis.Server, prefix, nearCache), RedisFixture.Node(redis.Server, prefix, nearCache));
        await WaitUntilNearCacheIsActiveAsync(nodes, nearCache);
        for (var i = 0; i < 100; i++)
        {
            // Node B caches version i (and reads it twice, so a near copy serves the second read); node A invalidates.
            var lookup = await nodes.B.GetAsync(Demo, default);
            await nodes.B.SetAsync(Demo, Page($"v{i}"), lookup.Generation, default);
            Assert.Equal($"v{i}", Encoding.UTF8.GetString((await nodes.B.GetAsync(Demo, default)).Page!.Body));
            Assert.Equal($"v{i}", Encoding.UTF8.GetString((await nodes.B.GetAsync(Demo, default)).Page!.Body));

            var generation = await nodes.B.GetGenerationAsync("demo", default);
            Assert.Equal(generation, await nodes.B.GetGenerationAsync("demo", default));

            await nodes.A.InvalidateProjectAsync("demo", default);

            Assert.Null((await nodes.B.GetAsync(Demo, default)).Page);
            Assert.Null((await nodes.B.GetAsync(Root, default)).Page);
            Assert.True(await nodes.B.GetGenerationAsync("demo", default) > generation); // what the bucket's file locations key on
        }
    }

    [Fact]
    public async Task The_near_layer_answers_a_projects_generation_without_asking_redis_until_another_node_invalidates_it()
    {
        var prefix = RedisFixture.UniquePrefix();
        await using var nodes = new TwoNodes(RedisFixture.Node(redis.Server, prefix, leaseSeconds: 10), RedisFixture.Node(redis.Server, prefix, leaseSeconds: 10));
        await WaitUntilNearCacheIsActiveAsync(nodes, true);
        var read = await nodes.B.GetGenerationAsync("demo", default);

        // Advance it in Redis behind the nodes' backs (no invalidation message), so only node B's memory still says `read`.
        Assert.StartsWith(":", await redis.Server.CommandAsync($"INCR {prefix}gen:p:demo"), StringComparison.Ordinal);
        var fromMemory = await nodes.B.GetGenerationAsync("demo", default);
        await nodes.A.InvalidateProjectAsync("demo", default);
        var afterInvalidation = await nodes.B.GetGenerationAsync("demo", default);

        Assert.Equal(read, fromMemory);
        Assert.Equal(read + 2, afterInvalidation); // the INCR and the invalidation, read from Redis again
    }

    [Fact]
    public async Task The_near_layer_serves_a_hot_page_without_asking_redis_and_drops_it_when_another_node_invalidates()
    {
        // A long lease, so the near layer stays on through this test however loaded the machine is.
        var prefix = RedisFixture.UniquePrefix();
        await using var nodes = new TwoNodes(RedisFixture.Node(redis.Server, prefix, leaseSeconds: 10), RedisFixture.Node(redis.Server, prefix, leaseSeconds: 10));
        await WaitUntilNearCacheIsActiveAsync(nodes, true);
        await nodes.A.SetAsync(Demo, Page("hot"), (await nodes.A.GetAsync(Demo, default)).Generation, default);
        Assert.Equal("hot", Encoding.UTF8.GetString((await nodes.B.GetAsync(Demo, default)).Page!.Body));

        // Take the page itself out of Redis (only it: generations, epoch and peers stay), so a hit now can only
        // come from node B's memory. FLUSHALL would also look like an emptied Redis, a different story.
        var pageKeys = (await ProcessRunner.RunAsync("redis-cli", ["-p", redis.Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--scan", "--pattern", prefix + "page:*"]))
            .EnsureSuccess("redis-cli --scan").StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(pageKeys);
        foreach (var key in pageKeys)
        {
            Assert.StartsWith(":1", await redis.Server.CommandAsync("DEL " + key), StringComparison.Ordinal);
        }

        var fromMemory = await nodes.B.GetAsync(Demo, default);
        await nodes.A.InvalidateProjectAsync("demo", default);
        var afterInvalidation = await nodes.B.GetAsync(Demo, default);

        Assert.Equal("hot", Encoding.UTF8.GetString(fromMemory.Page!.Body));
        Assert.Null(afterInvalidation.Page);
    }

    [Fact]
    public async Task An_idle_node_keeps_its_lease_so_the_first_reads_after_a_pause_come_from_memory()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var node = RedisFixture.Node(redis.Server, _prefix, time: time);
        await node.GetAsync(Other, default); // subscribes, and sends the first ping
        Assert.True(await Eventually.TrueAsync(() => node.NearCacheActive, TimeSpan.FromSeconds(10)), "the lease never started");

        // Three leases go by without a read: only the heartbeat's pings can renew it.
        for (var i = 0; i < 12; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(250));
        }

        Assert.True(await Eventually.TrueAsync(() => node.NearCacheActive, TimeSpan.FromSeconds(10)), "the lease lapsed while the node was idle");
    }

    private static async Task WaitUntilNearCacheIsActiveAsync(TwoNodes nodes, bool expected)
    {
        // The near layer switches on once a node has seen its own ping come back over pub/sub.
        for (var i = 0; i < 40 && expected && !(nodes.A.NearCacheActive && nodes.B.NearCacheActive); i++)
        {
            await nodes.A.GetAsync(Other, default);
            await nodes.B.GetAsync(Other, default);
            await Task.Delay(50);
        }

        Assert.Equal(expected, nodes.A.NearCacheActive);
        Assert.Equal(expected, nodes.B.NearCacheActive);
    }

    private static CachedPage Page(string body) =>
        new(Encoding.UTF8.GetBytes(body), SimpleContentNegotiation.JsonV1, $"\"etag-{body}\"");
}
