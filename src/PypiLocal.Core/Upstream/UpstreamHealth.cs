using System.Collections.Concurrent;

namespace PypiLocal.Core.Upstream;

/// <summary>
/// Which upstream indexes are failing right now, from what real requests saw: an index is failing from a failed
/// request until a later one succeeds. Kept pages and files are served meanwhile, so this makes the node Degraded,
/// never Unhealthy.
/// </summary>
public sealed class UpstreamHealth(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (DateTimeOffset Since, string Reason)> _failing = new(StringComparer.Ordinal);

    public void Succeeded(string index) => _failing.TryRemove(index, out _);

    public void Failed(string index, string reason) =>
        _failing.AddOrUpdate(index, _ => (time.GetUtcNow(), reason), (_, old) => (old.Since, reason));

    /// <summary>The failing indexes, with since when and the latest reason.</summary>
    public IReadOnlyList<(string Index, DateTimeOffset Since, string Reason)> Failing =>
        _failing.Select(f => (f.Key, f.Value.Since, f.Value.Reason)).OrderBy(f => f.Key, StringComparer.Ordinal).ToList();
}
