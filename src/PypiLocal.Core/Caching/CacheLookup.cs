namespace PypiLocal.Core.Caching;

/// <summary>
/// The answer of a cache read: the page if one is cached, and the page's current generation. A page
/// rendered after this read is stored under that generation, so an invalidation that lands while it
/// renders (and bumps the generation) makes it invisible instead of stale.
/// </summary>
public readonly record struct CacheLookup(CachedPage? Page, long Generation);
