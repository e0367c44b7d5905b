namespace PypiLocal.Core.Caching;

/// <summary>The in-process page cache (section <c>Cache</c>; Redis has its own settings in the same section).</summary>
public sealed class PageCacheOptions
{
    public const string SectionName = "Cache";

    /// <summary>
    /// Over a bucket without Redis: how long a node keeps a page before reading the bucket again, since changes
    /// made through other nodes are never announced here. Unused over folders, where every change is seen.
    /// </summary>
    public TimeSpan LocalPageTtl { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long the answer "no such page" is kept, in memory or in Redis: an upload of that name ends it at once, so
    /// this only bounds how long a project that appears by other means (a file dropped into a folder another node
    /// watches, copied into the bucket before a reindex, published upstream) stays unseen.
    /// </summary>
    public TimeSpan NotFoundTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Without Redis: the most page bytes a node keeps in memory (the pages stored longest ago make room).</summary>
    public long LocalMaxBytes { get; set; } = InMemoryPageCache.DefaultMaxBytes;
}
