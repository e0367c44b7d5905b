namespace PypiLocal.Core.Caching;

/// <summary>
/// Rendered index pages shared by the nodes (Redis) or held in process (embedded). Pages are stored
/// under a generation that every invalidation advances, so a render racing an upload never caches a
/// stale page. A cache failure must never fail a request: implementations answer a miss (generation
/// -1: render but do not store) and report themselves degraded instead.
/// </summary>
public interface IPageCache
{
    ValueTask<CacheLookup> GetAsync(PageKey key, CancellationToken cancellationToken);

    /// <summary>
    /// The project's current generation, which every invalidation of it advances, or -1 when the cache cannot tell: for
    /// callers that keep a copy of what a project holds (the bucket's file locations) and must drop it with its pages.
    /// </summary>
    ValueTask<long> GetGenerationAsync(string project, CancellationToken cancellationToken);

    /// <summary>
    /// How long a page is kept at most, whatever its generation, or null when generations alone tell what is current
    /// (every change is seen by this node: a folder's, or announced through Redis). What a caller keeps under a
    /// generation it keeps no longer than this either.
    /// </summary>
    TimeSpan? MaxAge { get; }

    /// <summary>Stores a page rendered after a lookup that returned <paramref name="generation"/>; a no-op if the generation has moved on.</summary>
    ValueTask SetAsync(PageKey key, CachedPage page, long generation, CancellationToken cancellationToken);

    /// <summary>Drops every representation of the project's page and of the root page. Completes before the change is acknowledged.</summary>
    ValueTask InvalidateProjectAsync(string project, CancellationToken cancellationToken);

    /// <summary>Drops every page (after a reindex or a rescan).</summary>
    ValueTask InvalidateAllAsync(CancellationToken cancellationToken);
}
