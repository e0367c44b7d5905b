using System.Text;
using PypiLocal.Core.Pages;
using PypiLocal.Protocol.Simple;

namespace PypiLocal.Infrastructure.Tests.Caching;

/// <summary>The page service as the api runs it, on two nodes sharing one Redis and one catalog (the bucket).</summary>
[Collection(RedisTimingCollection.Name)]
public sealed class IndexPageServiceOverRedisTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private readonly SharedCatalog _catalog = new();
    private TwoNodes _caches = null!;
    private IndexPageService _nodeA = null!;
    private IndexPageService _nodeB = null!;

    public Task InitializeAsync()
    {
        var prefix = RedisFixture.UniquePrefix();
        _caches = new TwoNodes(RedisFixture.Node(redis.Server, prefix), RedisFixture.Node(redis.Server, prefix));
        _nodeA = RedisFixture.Pages(_catalog, _caches.A);
        _nodeB = RedisFixture.Pages(_catalog, _caches.B);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _caches.DisposeAsync();

    [Fact]
    public async Task An_upload_through_node_A_is_on_node_B_at_once_100_times_while_both_nodes_serve_load()
    {
        _catalog.Add("demo", "0.1");
        _catalog.ReadDelay = TimeSpan.FromMilliseconds(2);
        using var stop = new CancellationTokenSource();

        // Background readers on both nodes keep renders in flight, so uploads land in the middle of them.
        var load = Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
        {
            var node = i % 2 == 0 ? _nodeA : _nodeB;
            while (!stop.IsCancellationRequested)
            {
                await node.GetProjectAsync("demo", SimpleMediaType.JsonV1, CancellationToken.None);
                await node.GetRootAsync(SimpleMediaType.TextHtml, CancellationToken.None);
            }
        })).ToArray();

        for (var i = 1; i <= 100; i++)
        {
            var version = $"1.{i}";
            var project = $"new-{i}";
            _catalog.Add("demo", version);
            _catalog.Add(project, "1.0");
            await _caches.A.InvalidateProjectAsync("demo", default);
            await _caches.A.InvalidateProjectAsync(project, default);

            var page = await _nodeB.GetProjectAsync("demo", SimpleMediaType.JsonV1, default);
            var root = await _nodeB.GetRootAsync(SimpleMediaType.TextHtml, default);

            Assert.Contains(SharedCatalog.Filename("demo", version), Encoding.UTF8.GetString(page!.Body), StringComparison.Ordinal);
            Assert.Contains($"/simple/{project}/", Encoding.UTF8.GetString(root!.Body), StringComparison.Ordinal);
        }

        await stop.CancelAsync();
        await Task.WhenAll(load);
        Assert.True(_nodeA.RenderCount + _nodeB.RenderCount < 100 * 20, "the cache served most reads");
    }

    [Fact]
    public async Task Fifty_concurrent_misses_for_one_page_render_it_once_per_node()
    {
        _catalog.Add("demo", "1.0");
        _catalog.ReadDelay = TimeSpan.FromMilliseconds(200);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var requests = Enumerable.Range(0, 100).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await (i % 2 == 0 ? _nodeA : _nodeB).GetProjectAsync("demo", SimpleMediaType.JsonV1, default);
        })).ToArray();
        start.SetResult();
        var pages = await Task.WhenAll(requests);

        Assert.All(pages, p => Assert.Contains(SharedCatalog.Filename("demo", "1.0"), Encoding.UTF8.GetString(p!.Body), StringComparison.Ordinal));
        Assert.Equal(1, _nodeA.RenderCount);
        Assert.Equal(1, _nodeB.RenderCount);
    }

    [Fact]
    public async Task A_page_rendered_on_one_node_is_served_from_the_cache_on_the_other()
    {
        _catalog.Add("demo", "1.0");

        var first = await _nodeA.GetProjectAsync("demo", SimpleMediaType.HtmlV1, default);
        var second = await _nodeB.GetProjectAsync("demo", SimpleMediaType.HtmlV1, default);

        Assert.Equal(first!.ETag, second!.ETag);
        Assert.Equal(0, _nodeB.RenderCount);
    }
}
