using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace PypiLocal.Protocol.Text;

/// <summary>
/// Shared instances by key, for values many files repeat. Bounded: once full, new values are handed back without being
/// pooled, so keys that never repeat cannot grow it without end.
/// </summary>
internal sealed class BoundedPool<T>(int capacity) where T : class
{
    private readonly ConcurrentDictionary<string, T> _items = new(StringComparer.Ordinal);
    private int _count;

    public bool TryGet(string key, [NotNullWhen(true)] out T? value) => _items.TryGetValue(key, out value);

    /// <summary>The value pooled for <paramref name="key"/>: <paramref name="value"/> when it is the first and there is room.</summary>
    public T Share(string key, T value)
    {
        if (Volatile.Read(ref _count) >= capacity)
        {
            return _items.TryGetValue(key, out var pooled) ? pooled : value;
        }

        var shared = _items.GetOrAdd(key, value);
        if (ReferenceEquals(shared, value))
        {
            Interlocked.Increment(ref _count);
        }

        return shared;
    }
}
