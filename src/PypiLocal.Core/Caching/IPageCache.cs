namespace PypiLocal.Core.Caching;

/// <summary>
/// Rendered index pages shared by the nodes (Redis) or held in process (embedded). A cache failure
/// must never fail a request: implementations answer a miss and report themselves degraded instead.
/// </summary>
public interface IPageCache
{
    ValueTask<CachedPage?> GetAsync(PageKey key, CancellationToken cancellationToken);

    ValueTask SetAsync(PageKey key, CachedPage page, CancellationToken cancellationToken);

    /// <summary>Drops every representation of the project's page and of the root page. Completes before the change is acknowledged.</summary>
    ValueTask InvalidateProjectAsync(string project, CancellationToken cancellationToken);

    /// <summary>Drops every page (after a reindex or a rescan).</summary>
    ValueTask InvalidateAllAsync(CancellationToken cancellationToken);
}
