using System.Collections.Concurrent;

namespace PypiLocal.Infrastructure.Caching;

/// <summary>
/// Waits for the nodes that received an invalidation (PUBLISH's receiver count), and every peer whose lease may
/// still run (one that pinged recently, even if Redis has just dropped its subscription), to acknowledge that
/// they dropped their near pages. Acks are counted per node, so a node subscribed twice is counted once; they
/// may arrive before the receiver count is known.
/// </summary>
internal sealed class InvalidationAcks
{
    private readonly ConcurrentDictionary<long, Waiter> _waiters = new();

    public void Register(long id) => _waiters[id] = new Waiter();

    public void Forget(long id) => _waiters.TryRemove(id, out _);

    public void Acknowledge(long id, string node)
    {
        if (_waiters.TryGetValue(id, out var waiter))
        {
            waiter.Add(node);
        }
    }

    /// <summary>True when <paramref name="receivers"/> nodes, <paramref name="peers"/> among them, acknowledged within the timeout.</summary>
    public async Task<bool> WaitAsync(long id, long receivers, IReadOnlyCollection<string> peers, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!_waiters.TryGetValue(id, out var waiter))
        {
            return false;
        }

        try
        {
            waiter.Expect(receivers, peers);
            await waiter.Done.Task.WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            Forget(id);
        }
    }

    private sealed class Waiter
    {
        private readonly HashSet<string> _nodes = new(StringComparer.Ordinal);
        private long _expected = long.MaxValue;
        private IReadOnlyCollection<string> _peers = [];

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Add(string node)
        {
            lock (_nodes)
            {
                _nodes.Add(node);
                Check();
            }
        }

        public void Expect(long receivers, IReadOnlyCollection<string> peers)
        {
            lock (_nodes)
            {
                _expected = receivers;
                _peers = peers;
                Check();
            }
        }

        private void Check()
        {
            if (_nodes.Count >= _expected && _peers.All(_nodes.Contains))
            {
                Done.TrySetResult();
            }
        }
    }
}
