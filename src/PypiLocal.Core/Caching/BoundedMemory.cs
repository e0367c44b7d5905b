using System.Collections.Concurrent;

namespace PypiLocal.Core.Caching;

/// <summary>
/// Values in process memory within a byte budget (<c>sizeOf</c> says what each one counts): reads take no lock; a
/// value that does not fit pushes out the values stored longest ago, and one larger than the whole budget is not kept.
/// Rendered pages (<see cref="PageMemory"/>) and wheels' core metadata are kept this way.
/// </summary>
public class BoundedMemory<TKey, TValue>(long maxBytes, Func<TValue, long> sizeOf)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, (TValue Value, LinkedListNode<TKey> Node)> _values = new();
    private readonly LinkedList<TKey> _oldestFirst = new();
    private readonly Lock _gate = new();
    private long _bytes;

    public long MaxBytes => maxBytes;

    /// <summary>The bytes of the values held now.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    public int Count => _values.Count;

    public bool TryGet(TKey key, out TValue value)
    {
        var found = _values.TryGetValue(key, out var held);
        value = held.Value;
        return found;
    }

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>, replacing what was there; false when it is larger than the budget.</summary>
    public bool Set(TKey key, TValue value)
    {
        var size = sizeOf(value);
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

            _values[key] = (value, _oldestFirst.AddLast(key));
            Interlocked.Add(ref _bytes, size);
        }

        return true;
    }

    public void Remove(TKey key)
    {
        lock (_gate)
        {
            RemoveLocked(key);
        }
    }

    /// <summary>Removes every value whose key matches.</summary>
    public void RemoveWhere(Func<TKey, bool> match)
    {
        lock (_gate)
        {
            foreach (var key in _values.Keys.Where(match))
            {
                RemoveLocked(key);
            }
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _values.Clear();
            _oldestFirst.Clear();
            Interlocked.Exchange(ref _bytes, 0);
        }
    }

    private void RemoveLocked(TKey key)
    {
        if (_values.TryRemove(key, out var held))
        {
            _oldestFirst.Remove(held.Node);
            Interlocked.Add(ref _bytes, -sizeOf(held.Value));
        }
    }
}
