using System.Collections.Concurrent;

namespace PypiLocal.Core.Caching;

/// <summary>The embedded mode's page cache: pages and generations in this process.</summary>
public sealed class InMemoryPageCache : IPageCache
{
    private const string RootScope = "";
    private readonly ConcurrentDictionary<PageKey, (long Generation, CachedPage Page)> _pages = new();
    private readonly ConcurrentDictionary<string, long> _generations = new(StringComparer.Ordinal);
    private long _epoch;

    public ValueTask<CacheLookup> GetAsync(PageKey key, CancellationToken cancellationToken)
    {
        var generation = GenerationOf(key);
        var page = _pages.TryGetValue(key, out var entry) && entry.Generation == generation ? entry.Page : null;
        return ValueTask.FromResult(new CacheLookup(page, generation));
    }

    public ValueTask SetAsync(PageKey key, CachedPage page, long generation, CancellationToken cancellationToken)
    {
        if (generation >= 0 && generation == GenerationOf(key))
        {
            _pages[key] = (generation, page);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask InvalidateProjectAsync(string project, CancellationToken cancellationToken)
    {
        _generations.AddOrUpdate(project, 1, (_, g) => g + 1);
        _generations.AddOrUpdate(RootScope, 1, (_, g) => g + 1);
        return ValueTask.CompletedTask;
    }

    public ValueTask InvalidateAllAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _epoch);
        _pages.Clear();
        return ValueTask.CompletedTask;
    }

    // The epoch in the high bits makes InvalidateAll advance every scope's generation at once.
    private long GenerationOf(PageKey key) =>
        (Interlocked.Read(ref _epoch) << 32) + _generations.GetValueOrDefault(key.Project ?? RootScope);
}
