using PypiLocal.Core.Caching;

namespace PypiLocal.Core.Tests.Support;

/// <summary>A fake page cache that records which projects were invalidated.</summary>
public sealed class RecordingPageCache : IPageCache
{
    public List<string> Invalidated { get; } = [];

    public ValueTask<CacheLookup> GetAsync(PageKey key, CancellationToken cancellationToken) => ValueTask.FromResult(new CacheLookup(null, -1));

    public TimeSpan? MaxAge => null;

    public ValueTask<long> GetGenerationAsync(string project, CancellationToken cancellationToken) => ValueTask.FromResult(-1L);

    public ValueTask SetAsync(PageKey key, CachedPage page, long generation, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask InvalidateProjectAsync(string project, CancellationToken cancellationToken)
    {
        lock (Invalidated)
        {
            Invalidated.Add(project);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask InvalidateAllAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
