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
}
