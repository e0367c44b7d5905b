using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using PypiLocal.Core.Caching;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Diagnostics;
using PypiLocal.Core.Projects;
using PypiLocal.Protocol.Simple;

namespace PypiLocal.Core.Pages;

/// <summary>
/// Serves rendered index pages: from the cache when it has them, else rendered from the repository and
/// stored. Concurrent misses for one page share one render on this node (stampede control).
/// </summary>
public sealed class IndexPageService(IPackageRepository repository, IPageCache cache, ProjectStatuses statuses, ILogger<IndexPageService> logger)
{
    private readonly ConcurrentDictionary<(PageKey Key, long Generation), Lazy<Task<CachedPage?>>> _renders = new();

    /// <summary>How many pages this node has rendered (a miss that did the work). For tests and metrics.</summary>
    public long RenderCount => Interlocked.Read(ref _renderCount);

    private long _renderCount;

    public Task<CachedPage?> GetRootAsync(SimpleMediaType mediaType, CancellationToken cancellationToken) =>
        GetAsync(PageKey.Root(mediaType), cancellationToken);

    /// <summary>The project's page, or null when the project is unknown. <paramref name="project"/> is normalized.</summary>
    public Task<CachedPage?> GetProjectAsync(string project, SimpleMediaType mediaType, CancellationToken cancellationToken) =>
        GetAsync(PageKey.ForProject(project, mediaType), cancellationToken);

    private async Task<CachedPage?> GetAsync(PageKey key, CancellationToken cancellationToken)
    {
        var lookup = await cache.GetAsync(key, cancellationToken);
        PypiLocalMetrics.RecordCacheLookup(lookup.Page is not null, key.MediaType == SimpleMediaType.JsonV1 ? "json" : "html");
        if (lookup.Page is not null)
        {
            return lookup.Page;
        }

        // Keyed by generation too: a request that arrives after an invalidation never joins an older render.
        var slot = (key, lookup.Generation);
        var render = _renders.GetOrAdd(slot, s => new Lazy<Task<CachedPage?>>(() => RenderAndStoreAsync(s.Key, s.Generation)));
        try
        {
            return await render.Value.WaitAsync(cancellationToken);
        }
        finally
        {
            _renders.TryRemove(new KeyValuePair<(PageKey, long), Lazy<Task<CachedPage?>>>(slot, render));
        }
    }

    // Not cancelled by one caller: other callers may be waiting on the same render.
    private async Task<CachedPage?> RenderAndStoreAsync(PageKey key, long generation)
    {
        Interlocked.Increment(ref _renderCount);
        byte[] body;
        if (key.Project is null)
        {
            body = SimplePageRenderer.RenderRoot(await repository.ListProjectsAsync(CancellationToken.None), key.MediaType);
        }
        else
        {
            var listing = await repository.GetProjectAsync(key.Project, CancellationToken.None);
            if (listing is null)
            {
                return null;
            }

            body = SimplePageRenderer.RenderProject(statuses.Shown(listing), key.MediaType, statuses.For(key.Project));
        }

        var page = new CachedPage(body, SimpleContentNegotiation.ContentType(key.MediaType), ETagOf(body, key.MediaType));
        await cache.SetAsync(key, page, generation, CancellationToken.None);
        logger.LogDebug("Rendered {Page}", key);
        return page;
    }

    /// <summary>A strong ETag from the body and the representation, so JSON and HTML never share one.</summary>
    private static string ETagOf(byte[] body, SimpleMediaType mediaType)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(body, hash);
        return $"\"{mediaType switch { SimpleMediaType.JsonV1 => "j", SimpleMediaType.HtmlV1 => "v", _ => "h" }}{Convert.ToHexStringLower(hash[..16])}\"";
    }
}
