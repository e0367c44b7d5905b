using PypiLocal.Core.Caching;

namespace PypiLocal.Infrastructure.Caching;

/// <summary>
/// The per-node layer in front of Redis: pages this node read or stored, served without a round trip. Kept
/// coherent by the invalidation messages (<see cref="RedisPageCache"/>). <see cref="Version"/> advances on every
/// drop, and a page is only added if no drop happened since the caller read it from Redis, so an invalidation
/// racing a read never leaves a stale page here. Bounded by a byte budget (<see cref="PageMemory"/>): pushing
/// out old pages to make room is not a coherence event, so the version stays.
/// </summary>
internal sealed class NearPageCache(long maxBytes)
{
    private readonly PageMemory _pages = new(maxBytes);
    private readonly Lock _gate = new();
    private long _version;

    public long Version => Interlocked.Read(ref _version);

    public bool TryGet(PageKey key, out PageEntry entry) => _pages.TryGet(key, out entry);

    /// <summary>Adds a page read or stored at <paramref name="generation"/>, unless something was dropped since <paramref name="seenVersion"/>.</summary>
    public void TryAdd(PageKey key, CachedPage page, long generation, long seenVersion)
    {
        lock (_gate)
        {
            if (_version == seenVersion)
            {
                _pages.Set(key, new PageEntry(page, generation, 0));
            }
        }
    }

    /// <summary>Drops the project's pages and the root's, in every representation and view.</summary>
    public void DropProject(string project)
    {
        lock (_gate)
        {
            _version++;
            _pages.RemoveProjectAndRoot(project);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _version++;
            _pages.Clear();
        }
    }
}
