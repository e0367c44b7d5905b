using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Caching;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Diagnostics;
using PypiLocal.Core.Indexing;
using PypiLocal.Core.Upstream;
using PypiLocal.Protocol.Simple;

namespace PypiLocal.Core.Pages;

/// <summary>
/// Serves rendered pages (the Simple API's, and through <see cref="GetPageAsync"/> the web pages and JSON API): from
/// the cache when it has them (and they are still current: not past their own expiry, rendered under the release
/// policies in force), else rendered and stored; "no such page" is cached the same way, for a short while. Project
/// pages come from <see cref="ProjectViews"/> (local first, upstream for the rest, policies applied). Concurrent
/// misses for one page share one render on this node (stampede control).
/// </summary>
public sealed partial class IndexPageService(
    IPackageRepository repository, IPageCache cache, ProjectViews views, ReleasePolicy policy, TimeProvider time, ILogger<IndexPageService> logger,
    IOptions<IndexOptions>? index = null,
    IOptions<PageCacheOptions>? cacheOptions = null)
{
    private readonly TimeSpan _notFoundTtl = cacheOptions?.Value.NotFoundTtl ?? new PageCacheOptions().NotFoundTtl;
    private readonly PageLinks _links = index is null ? PageLinks.Default : PageLinks.From(index.Value);

    private readonly ConcurrentDictionary<(PageKey Key, long Generation), Lazy<Task<CachedPage?>>> _renders = new();

    /// <summary>How many pages this node has rendered (a miss that did the work). For tests and metrics.</summary>
    public long RenderCount => Interlocked.Read(ref _renderCount);

    private long _renderCount;

    public Task<CachedPage?> GetRootAsync(SimpleMediaType mediaType, CancellationToken cancellationToken) =>
        GetAsync(PageKey.Root(mediaType), null, cancellationToken);

    /// <summary>The root as <paramref name="readers"/> see it: the page above, or a variant listing only what they may read.</summary>
    public Task<CachedPage?> GetRootAsync(SimpleMediaType mediaType, ReadScope readers, CancellationToken cancellationToken) =>
        readers.IsEverything
            ? GetRootAsync(mediaType, cancellationToken)
            : GetAsync(PageKey.Root(mediaType).ReadableBy(readers), () => RenderRootAsync(mediaType, readers), cancellationToken);

    /// <summary>The project's page, or null when the project is unknown. <paramref name="project"/> is normalized.</summary>
    public Task<CachedPage?> GetProjectAsync(string project, SimpleMediaType mediaType, CancellationToken cancellationToken) =>
        GetAsync(PageKey.ForProject(project, mediaType), null, cancellationToken);

    /// <summary>
    /// Any other page of the root or a project (<see cref="PageKey.ForView"/>), rendered by <paramref name="render"/>
    /// (null when there is no such page) and invalidated with the Simple API's pages of the same scope. The render
    /// is shared by concurrent callers, so it must not use one caller's cancellation token.
    /// </summary>
    public Task<CachedPage?> GetPageAsync(PageKey key, string contentType, Func<Task<byte[]?>> render, CancellationToken cancellationToken) =>
        GetAsync(key, async () => await render() is { } body ? new CachedPage(body, contentType, ETagOf(body, 'w', ReadScope.Everything)) : null, cancellationToken);

    /// <summary>
    /// A page of the root that lists projects (the home page, the project list, every file), rendered by
    /// <paramref name="render"/> from the projects <paramref name="readers"/> may read: for a reader of only some
    /// projects, a variant of its own (<see cref="PageKey.ReadableBy"/>), cached and invalidated like the full page,
    /// with an ETag of its own.
    /// </summary>
    public Task<CachedPage?> GetProjectListPageAsync(
        PageKey key, ReadScope readers, string contentType, Func<IReadOnlyList<ProjectSummary>, Task<byte[]>> render, CancellationToken cancellationToken) =>
        GetAsync(key.ReadableBy(readers), async () =>
        {
            var body = await render(readers.Filter(await repository.ListProjectsAsync(CancellationToken.None)));
            return new CachedPage(body, contentType, ETagOf(body, 'w', readers));
        }, cancellationToken);

    private async Task<CachedPage?> GetAsync(PageKey key, Func<Task<CachedPage?>>? render, CancellationToken cancellationToken)
    {
        var lookup = await cache.GetAsync(key, cancellationToken);
        var current = lookup.Page is { } cached && IsCurrent(cached);
        PypiLocalMetrics.RecordCacheLookup(current, key.View is not null ? "view" : key.MediaType == SimpleMediaType.JsonV1 ? "json" : "html");
        if (current)
        {
            return lookup.Page!.IsMissing ? null : lookup.Page;
        }

        return await RenderSharedAsync(key, lookup.Generation, render, cancellationToken);
    }

    // Apart from the lookup, so a cache hit allocates no closure.
    private async Task<CachedPage?> RenderSharedAsync(PageKey key, long generation, Func<Task<CachedPage?>>? render, CancellationToken cancellationToken)
    {
        // Keyed by generation too: a request that arrives after an invalidation never joins an older render.
        var slot = (key, generation);
        var renderer = render ?? (() => RenderSimpleAsync(key));
        var shared = _renders.GetOrAdd(slot, s => new Lazy<Task<CachedPage?>>(() => RenderAndStoreAsync(s.Key, s.Generation, renderer)));
        try
        {
            return await shared.Value.WaitAsync(cancellationToken);
        }
        finally
        {
            _renders.TryRemove(new KeyValuePair<(PageKey, long), Lazy<Task<CachedPage?>>>(slot, shared));
        }
    }

    // Not cancelled by one caller: other callers may be waiting on the same render.
    private async Task<CachedPage?> RenderAndStoreAsync(PageKey key, long generation, Func<Task<CachedPage?>> render)
    {
        Interlocked.Increment(ref _renderCount);
        var page = await render();

        // "No such page" holds until an upload of that name invalidates it, or for Cache:NotFoundTtl by itself.
        var stored = (page ?? CachedPage.Missing with { Expires = time.GetUtcNow() + _notFoundTtl }) with { Stamp = policy.Stamp };
        await cache.SetAsync(key, stored, generation, CancellationToken.None);
        LogRendered(logger, key);
        return page;
    }

    private async Task<CachedPage?> RenderSimpleAsync(PageKey key)
    {
        if (key.Project is null)
        {
            return await RenderRootAsync(key.MediaType, ReadScope.Everything);
        }

        if (await views.GetAsync(key.Project, CancellationToken.None) is not { } served)
        {
            return null;
        }

        var body = SimplePageRenderer.RenderProject(served.View, key.MediaType);
        return new CachedPage(body, SimpleContentNegotiation.ContentType(key.MediaType), ETagOf(body, Representation(key.MediaType), ReadScope.Everything), served.ValidUntil);
    }

    private async Task<CachedPage?> RenderRootAsync(SimpleMediaType mediaType, ReadScope readers)
    {
        var body = SimplePageRenderer.RenderRoot(readers.Filter(await repository.ListProjectsAsync(CancellationToken.None)), mediaType, _links);
        return new CachedPage(body, SimpleContentNegotiation.ContentType(mediaType), ETagOf(body, Representation(mediaType), readers));
    }

    private static char Representation(SimpleMediaType mediaType) => mediaType switch { SimpleMediaType.JsonV1 => 'j', SimpleMediaType.HtmlV1 => 'v', _ => 'h' };

    private bool IsCurrent(CachedPage page) =>
        page.Stamp == policy.Stamp && (page.Expires is not { } expires || time.GetUtcNow() < expires);

    /// <summary>
    /// A strong ETag from the body and the representation, so JSON, HTML and other views never share one; a variant
    /// for readers of only some projects carries their scope too, so no two scopes' lists share one either.
    /// </summary>
    private static string ETagOf(byte[] body, char representation, ReadScope readers)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(body, hash);
        return readers.IsEverything
            ? $"\"{representation}{Convert.ToHexStringLower(hash[..16])}\""
            : $"\"{representation}{Convert.ToHexStringLower(hash[..16])}-{readers.Key}\"";
    }

    // Once per render: source-generated, so a disabled Debug level costs no boxing of the key. Event id 0, as before.
    [LoggerMessage(EventId = 0, Level = LogLevel.Debug, Message = "Rendered {Page}")]
    private static partial void LogRendered(ILogger logger, PageKey page);
}
