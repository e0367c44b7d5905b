using System.Collections.Concurrent;

namespace PypiLocal.Core.Caching;

/// <summary>
/// Pages and generations in this process, within a byte budget (<see cref="PageMemory"/>). Over a folder every
/// change is seen here (uploads, or the rescan), so pages live until invalidated or pushed out. Over a bucket
/// shared with other nodes and no Redis, changes made elsewhere are never announced here: give pages a
/// <paramref name="maxAge"/> so they expire on their own.
/// </summary>
public sealed class InMemoryPageCache(TimeProvider time, TimeSpan? maxAge = null, long maxBytes = InMemoryPageCache.DefaultMaxBytes) : IPageCache
{
    /// <summary>The default budget for page bodies: a 40,000-file project page is about 10 MB.</summary>
    public const long DefaultMaxBytes = 64L * 1024 * 1024;

    private const string RootScope = "";
    private readonly PageMemory _pages = new(maxBytes);
    private readonly ConcurrentDictionary<string, long> _generations = new(StringComparer.Ordinal);
    private long _epoch;

    public InMemoryPageCache()
        : this(TimeProvider.System)
    {
    }

    public TimeSpan? MaxAge => maxAge;

    /// <summary>The bytes of the page bodies held now (never more than the budget).</summary>
    public long Bytes => _pages.Bytes;

    public ValueTask<CacheLookup> GetAsync(PageKey key, CancellationToken cancellationToken)
    {
        var generation = GenerationOf(key);
        var page = _pages.TryGet(key, out var entry) && entry.Generation == generation && Fresh(entry.StoredAt) ? entry.Page : null;
        return ValueTask.FromResult(new CacheLookup(page, generation));
    }

    public ValueTask<long> GetGenerationAsync(string project, CancellationToken cancellationToken) => ValueTask.FromResult(GenerationOf(project));

    public ValueTask SetAsync(PageKey key, CachedPage page, long generation, CancellationToken cancellationToken)
    {
        if (generation >= 0 && generation == GenerationOf(key))
        {
            _pages.Set(key, new PageEntry(page, generation, time.GetTimestamp()));
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

    private bool Fresh(long storedAt) => maxAge is not { } limit || time.GetElapsedTime(storedAt) < limit;

    // The epoch in the high bits makes InvalidateAll advance every scope's generation at once.
    private long GenerationOf(PageKey key) => GenerationOf(key.Project ?? RootScope);

    private long GenerationOf(string scope) => (Interlocked.Read(ref _epoch) << 32) + _generations.GetValueOrDefault(scope);
}
