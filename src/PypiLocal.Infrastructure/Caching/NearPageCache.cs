using System.Collections.Concurrent;
using PypiLocal.Core.Caching;

namespace PypiLocal.Infrastructure.Caching;

/// <summary>
/// The per-node layer in front of Redis: pages this node read or stored, served without a round trip. Kept
/// coherent by the invalidation messages (<see cref="RedisPageCache"/>). <see cref="Version"/> advances on every
/// drop, and a page is only added if no drop happened since the caller read it from Redis, so an invalidation
/// racing a read never leaves a stale page here. Bounded by a byte budget: when full it starts over.
/// </summary>
internal sealed class NearPageCache(long maxBytes)
{
    private readonly ConcurrentDictionary<PageKey, (long Generation, CachedPage Page)> _pages = new();
    private readonly Lock _gate = new();
    private long _version;
    private long _bytes;

    public long Version => Interlocked.Read(ref _version);

    public bool TryGet(PageKey key, out (long Generation, CachedPage Page) entry) => _pages.TryGetValue(key, out entry);

    /// <summary>Adds a page read or stored at <paramref name="generation"/>, unless something was dropped since <paramref name="seenVersion"/>.</summary>
    public void TryAdd(PageKey key, CachedPage page, long generation, long seenVersion)
    {
        if (page.Body.Length > maxBytes)
        {
            return;
        }

        lock (_gate)
        {
            if (_version != seenVersion)
            {
                return;
            }

            if (_bytes + page.Body.Length > maxBytes)
            {
                // Starting over is not a coherence event, so the version stays.
                _pages.Clear();
                _bytes = 0;
            }

            if (_pages.TryGetValue(key, out var old))
            {
                _bytes -= old.Page.Body.Length;
            }

            _pages[key] = (generation, page);
            _bytes += page.Body.Length;
        }
    }

    /// <summary>Drops the project's pages and the root's, in every representation and view.</summary>
    public void DropProject(string project)
    {
        lock (_gate)
        {
            _version++;
            foreach (var key in _pages.Keys)
            {
                if (key.Project is null || key.Project == project)
                {
                    Remove(key);
                }
            }
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _version++;
            _pages.Clear();
            _bytes = 0;
        }
    }

    private void Remove(PageKey key)
    {
        if (_pages.TryRemove(key, out var old))
        {
            _bytes -= old.Page.Body.Length;
        }
    }
}
