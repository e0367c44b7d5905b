using PypiLocal.Core.Caching;
using PypiLocal.Core.Storage;

namespace PypiLocal.Api.Tests.Support;

/// <summary>A shared page cache that cannot be reached: every lookup throws, and is counted.</summary>
internal sealed class FailingPageCache : IPageCache
{
    public int Lookups { get; private set; }

    public ValueTask<CacheLookup> GetAsync(PageKey key, CancellationToken cancellationToken)
    {
        Lookups++;
        throw new StorageUnavailableException("the cache is down");
    }

    public TimeSpan? MaxAge => null;

    public ValueTask<long> GetGenerationAsync(string project, CancellationToken cancellationToken) => throw new StorageUnavailableException("the cache is down");

    public ValueTask SetAsync(PageKey key, CachedPage page, long generation, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask InvalidateProjectAsync(string project, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask InvalidateAllAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
