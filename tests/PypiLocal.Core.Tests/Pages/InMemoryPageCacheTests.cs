using PypiLocal.Core.Caching;
using PypiLocal.Protocol.Simple;

namespace PypiLocal.Core.Tests.Pages;

public sealed class InMemoryPageCacheTests
{
    private static readonly CachedPage Page = new([1, 2, 3], "text/html", "\"x\"");
    private readonly CancellationToken _ct = CancellationToken.None;

    [Fact]
    public async Task A_page_stored_under_the_current_generation_is_returned()
    {
        var cache = new InMemoryPageCache();
        var key = PageKey.ForProject("pkg", SimpleMediaType.JsonV1);

        var miss = await cache.GetAsync(key, _ct);
        await cache.SetAsync(key, Page, miss.Generation, _ct);

        Assert.Same(Page, (await cache.GetAsync(key, _ct)).Page);
    }

    [Fact]
    public async Task A_projects_generation_is_its_pages_and_moves_with_its_invalidations_and_everything()
    {
        var cache = new InMemoryPageCache();
        var before = await cache.GetGenerationAsync("pkg", _ct);

        Assert.Equal((await cache.GetAsync(PageKey.ForProject("pkg", SimpleMediaType.TextHtml), _ct)).Generation, before);
        await cache.InvalidateProjectAsync("other", _ct);
        Assert.Equal(before, await cache.GetGenerationAsync("pkg", _ct));
        await cache.InvalidateProjectAsync("pkg", _ct);
        var afterProject = await cache.GetGenerationAsync("pkg", _ct);
        await cache.InvalidateAllAsync(_ct);

        Assert.True(afterProject > before);
        Assert.True(await cache.GetGenerationAsync("pkg", _ct) > afterProject);
    }

    [Fact]
    public async Task Invalidating_a_project_drops_its_pages_and_the_root_but_not_other_projects()
    {
        var cache = new InMemoryPageCache();
        var keys = new[] { PageKey.ForProject("pkg", SimpleMediaType.JsonV1), PageKey.Root(SimpleMediaType.TextHtml), PageKey.ForProject("other", SimpleMediaType.JsonV1) };
        foreach (var key in keys)
        {
            await cache.SetAsync(key, Page, (await cache.GetAsync(key, _ct)).Generation, _ct);
        }

        await cache.InvalidateProjectAsync("pkg", _ct);

        Assert.Null((await cache.GetAsync(keys[0], _ct)).Page);
        Assert.Null((await cache.GetAsync(keys[1], _ct)).Page);
        Assert.Same(Page, (await cache.GetAsync(keys[2], _ct)).Page);
    }

    [Fact]
    public async Task A_set_with_a_generation_from_before_an_invalidation_is_ignored()
    {
        var cache = new InMemoryPageCache();
        var key = PageKey.ForProject("pkg", SimpleMediaType.JsonV1);
        var before = await cache.GetAsync(key, _ct);

        await cache.InvalidateProjectAsync("pkg", _ct);
        await cache.SetAsync(key, Page, before.Generation, _ct);

        Assert.Null((await cache.GetAsync(key, _ct)).Page);
    }

    [Fact]
    public async Task With_a_max_age_pages_expire_on_their_own()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var cache = new InMemoryPageCache(time, TimeSpan.FromSeconds(2));
        var key = PageKey.ForProject("pkg", SimpleMediaType.JsonV1);
        await cache.SetAsync(key, Page, (await cache.GetAsync(key, _ct)).Generation, _ct);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Same(Page, (await cache.GetAsync(key, _ct)).Page);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Null((await cache.GetAsync(key, _ct)).Page);
    }

    [Fact]
    public async Task Invalidating_all_drops_every_page()
    {
        var cache = new InMemoryPageCache();
        var key = PageKey.ForProject("pkg", SimpleMediaType.JsonV1);
        var before = await cache.GetAsync(key, _ct);
        await cache.SetAsync(key, Page, before.Generation, _ct);

        await cache.InvalidateAllAsync(_ct);
        await cache.SetAsync(key, Page, before.Generation, _ct);

        Assert.Null((await cache.GetAsync(key, _ct)).Page);
    }

    [Fact]
    public async Task Pages_stay_within_the_byte_budget_the_oldest_making_room()
    {
        var cache = new InMemoryPageCache(TimeProvider.System, maxBytes: 10_000);
        var body = new byte[3_000];
        var keys = Enumerable.Range(0, 5).Select(i => PageKey.ForProject($"p{i}", SimpleMediaType.JsonV1)).ToList();

        foreach (var key in keys)
        {
            await cache.SetAsync(key, new CachedPage(body, "application/json", "\"e\""), (await cache.GetAsync(key, _ct)).Generation, _ct);
        }

        Assert.True(cache.Bytes <= 10_000);
        Assert.Null((await cache.GetAsync(keys[0], _ct)).Page);
        Assert.Null((await cache.GetAsync(keys[1], _ct)).Page);
        Assert.NotNull((await cache.GetAsync(keys[4], _ct)).Page);
    }

    [Fact]
    public async Task A_page_larger_than_the_whole_budget_is_rendered_but_not_kept()
    {
        var cache = new InMemoryPageCache(TimeProvider.System, maxBytes: 1_000);
        var key = PageKey.ForProject("big", SimpleMediaType.JsonV1);

        await cache.SetAsync(key, new CachedPage(new byte[1_001], "application/json", "\"e\""), (await cache.GetAsync(key, _ct)).Generation, _ct);

        Assert.Null((await cache.GetAsync(key, _ct)).Page);
        Assert.Equal(0, cache.Bytes);
    }

    [Fact]
    public void Replacing_a_page_counts_its_bytes_once()
    {
        var memory = new PageMemory(100);
        var key = PageKey.ForProject("p", SimpleMediaType.JsonV1);

        for (var i = 0; i < 10; i++)
        {
            memory.Set(key, new PageEntry(new CachedPage(new byte[60], "t", "\"e\""), i, 0));
        }

        Assert.Equal((60, 1), (memory.Bytes, memory.Count));
        memory.Remove(key);
        Assert.Equal(0, memory.Bytes);
    }
}
