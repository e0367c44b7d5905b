using System.Collections.Concurrent;

namespace PypiLocal.Core.Caching;

/// <summary>A page held in process memory, with the generation it was rendered under and when it was stored.</summary>
public readonly record struct PageEntry(CachedPage Page, long Generation, long StoredAt);

/// <summary>
/// Rendered pages in process memory within a byte budget (page bodies counted): the in-process cache and Redis's
/// near layer both keep their pages here. Reads take no lock; a page that does not fit pushes out the pages
/// stored longest ago, and one larger than the whole budget is not kept.
/// </summary>
public sealed class PageMemory(long maxBytes)
{
    private readonly ConcurrentDictionary<PageKey, (PageEntry Entry, LinkedListNode<PageKey> Node)> _pages = new();
    private readonly LinkedList<PageKey> _oldestFirst = new();
    private readonly Lock _gate = new();
    private long _bytes;

    public long MaxBytes => maxBytes;

    /// <summary>The bytes of the page bodies held now.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    public int Count => _pages.Count;

    public bool TryGet(PageKey key, out PageEntry entry)
    {
        var found = _pages.TryGetValue(key, out var held);
        entry = held.Entry;
        return found;
    }

    /// <summary>Stores <paramref name="entry"/> under <paramref name="key"/>, replacing what was there; false when it is larger than the budget.</summary>
    public bool Set(PageKey key, PageEntry entry)
    {
        long size = entry.Page.Body.Length;
        if (size > maxBytes)
        {
            return false;
        }

        lock (_gate)
        {
            RemoveLocked(key);
            while (_bytes + size > maxBytes && _oldestFirst.First is { } oldest)
            {
                RemoveLocked(oldest.Value);
            }

            _pages[key] = (entry, _oldestFirst.AddLast(key));
            Interlocked.Add(ref _bytes, size);
        }

        return true;
    }

    public void Remove(PageKey key)
    {
        lock (_gate)
        {
            RemoveLocked(key);
        }
    }

    /// <summary>Removes the pages of <paramref name="project"/> and the root's, in every representation and view.</summary>
    public void RemoveProjectAndRoot(string project)
    {
        lock (_gate)
        {
            foreach (var key in _pages.Keys.Where(k => k.Project is null || k.Project == project))
            {
                RemoveLocked(key);
            }
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _pages.Clear();
            _oldestFirst.Clear();
            Interlocked.Exchange(ref _bytes, 0);
        }
    }

    private void RemoveLocked(PageKey key)
    {
        if (_pages.TryRemove(key, out var held))
        {
            _oldestFirst.Remove(held.Node);
            Interlocked.Add(ref _bytes, -held.Entry.Page.Body.Length);
        }
    }
}
