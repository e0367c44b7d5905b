using System.Collections.Concurrent;
using PypiLocal.Core.Caching;

namespace PypiLocal.Infrastructure.Caching;

/// <summary>
/// The per-node layer in front of Redis: pages this node read or stored, served without a round trip. Kept
/// coherent by the invalidation messages (<see cref="RedisPageCache"/>). <see cref="Version"/> advances on every
/// drop, and a page is only added if no drop happened since the caller read it from Redis, so an invalidation
/// racing a read never leaves a stale page here. Bounded by a byte budget (<see cref="PageMemory"/>): pushing
/// out old pages to make room is not a coherence event, so the version stays. Projects' generations are kept the
/// same way, bounded in count: a file download asks for its project's, which need not have a page here.
/// </summary>
internal sealed class NearPageCache(long maxBytes)
{
    private const int MaxGenerations = 10_000;
    private readonly PageMemory _pages = new(maxBytes);
    private readonly ConcurrentDictionary<string, long> _generations = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _version;

    public long Version => Interlocked.Read(ref _version);

    public bool TryGet(PageKey key, out PageEntry entry) => _pages.TryGet(key, out entry);

    public bool TryGetGeneration(string project, out long generation) => _generations.TryGetValue(project, out generation);

    /// <summary>Keeps a project's generation read at <paramref name="seenVersion"/>, unless something was dropped since.</summary>
    public void TryAddGeneration(string project, long generation, long seenVersion)
    {
        lock (_gate)
        {
            if (_version != seenVersion)
            {
                return;
            }

            // Names that have no project count too, so the count is bounded; forgetting is always coherent.
            if (_generations.Count >= MaxGenerations)
            {
                _generations.Clear();
            }

            _generations[project] = generation;
        }
    }

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

    /// <summary>Drops the project's pages and the root's, in every representation and view, and the project's generation.</summary>
    public void DropProject(string project)
    {
        lock (_gate)
        {
            _version++;
            _pages.RemoveProjectAndRoot(project);
            _generations.TryRemove(project, out _);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _version++;
            _pages.Clear();
            _generations.Clear();
        }
    }
}
