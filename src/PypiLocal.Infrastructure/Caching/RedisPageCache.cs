using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Caching;
using StackExchange.Redis;

namespace PypiLocal.Infrastructure.Caching;

/// <summary>
/// The distributed mode's page cache, shared by every node. A page lives under the epoch and generation it
/// was rendered at (see <see cref="RedisCacheKeys"/>); a read resolves generation and page in one script,
/// an invalidation advances the project's and the root's generations in one script. Redis failures never
/// escape: a read answers a miss with generation -1, a write is dropped, the outage is logged once, and
/// after it the epoch is advanced (invalidations may have been lost meanwhile) before a page is served again.
/// In front of Redis sits a per-node <see cref="NearPageCache"/>: the invalidation scripts publish what they
/// invalidated, every node drops its copies and acknowledges, and an invalidation completes once all the
/// receivers acknowledged, or after the near-cache lease. A node serves from memory only within the lease
/// after a ping it sent through the invalidation channel came back (so it has processed every invalidation
/// published before the ping; it pings every quarter lease, idle or not): a node too slow to acknowledge stops
/// serving from memory before the invalidating node gives up waiting, which keeps read-your-writes across nodes strict.
/// </summary>
public sealed class RedisPageCache : IPageCache, IAsyncDisposable
{
    private const string Everything = "*";
    private static readonly DateTimeOffset EpochOrigin = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly RedisPageCacheOptions _options;
    private readonly RedisCacheKeys _keys;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisPageCache> _logger;
    private readonly string _node = Guid.NewGuid().ToString("N");
    private readonly NearPageCache? _near;
    private readonly InvalidationAcks _acks = new();
    private readonly ConcurrentDictionary<string, long> _peers = new(StringComparer.Ordinal);
    private readonly Task<IConnectionMultiplexer> _connection;
    private readonly bool _ownsConnection;
    private readonly Lock _gate = new();
    private readonly ITimer? _heartbeat;
    private Task? _recovery;
    private long _failures;
    private long _recoveredFailures;
    private long _liveAtFailures = -1;
    private long _leaseStart;
    private long _lastPing;
    private long _invalidationIds;
    private int _degraded;
    private int _subscribed;

    /// <summary>A cache that connects with <see cref="RedisPageCacheOptions.ConnectionString"/> itself (commands, tests).</summary>
    public RedisPageCache(IOptions<RedisPageCacheOptions> options, TimeProvider time, ILogger<RedisPageCache> logger)
        : this(options, time, logger, connection: null)
    {
    }

    /// <summary>
    /// A cache over <paramref name="connection"/> when the host made one (Aspire's <c>AddRedisClient</c>: traced,
    /// configured with <see cref="Configure"/>), else over a connection of its own.
    /// </summary>
    public RedisPageCache(IOptions<RedisPageCacheOptions> options, TimeProvider time, ILogger<RedisPageCache> logger, IConnectionMultiplexer? connection)
    {
        _options = options.Value;
        _keys = new RedisCacheKeys(_options.KeyPrefix);
        _time = time;
        _logger = logger;
        _near = _options.NearCacheMaxBytes > 0 ? new NearPageCache(_options.NearCacheMaxBytes) : null;
        _ownsConnection = connection is null;
        _connection = connection is null ? ConnectAsync(ConfigurationFor(_options)) : AttachAsync(connection);

        // The lease is renewed every quarter of it whether requests come or not. Renewed only on the way, it lapsed
        // after a second without requests, and the next burst (32 connections at once in bench/run.sh) then read
        // every page from Redis until a ping came back: 32 reads of the 130 KB root after each pause.
        var quarterLease = _options.NearCacheLease / 4;
        _heartbeat = _near is null ? null : time.CreateTimer(static cache => ((RedisPageCache)cache!).RenewLease(), this, quarterLease, quarterLease);
    }

    /// <summary>None: every change through any node advances a generation here.</summary>
    public TimeSpan? MaxAge => null;

    /// <summary>True while Redis is unreachable or the cache is suspect after an outage (pages come from storage).</summary>
    public bool IsDegraded => Volatile.Read(ref _degraded) == 1 || Interlocked.Read(ref _failures) != Interlocked.Read(ref _recoveredFailures);

    /// <summary>Whether reads are served from this node's memory layer right now (for tests and diagnostics).</summary>
    public bool NearCacheActive =>
        _near is not null
        && !IsDegraded
        && Interlocked.Read(ref _liveAtFailures) == Interlocked.Read(ref _failures)
        && _time.GetElapsedTime(Interlocked.Read(ref _leaseStart)) < _options.NearCacheLease;

    /// <summary>The StackExchange.Redis settings: start and reconnect alone, fail fast and short while Redis is away.</summary>
    internal static ConfigurationOptions ConfigurationFor(RedisPageCacheOptions options)
    {
        var configuration = ConfigurationOptions.Parse(options.ConnectionString);
        Configure(configuration, options);
        return configuration;
    }

    /// <summary>Applies the page cache's connection behaviour to a connection's options, whoever creates it.</summary>
    public static void Configure(ConfigurationOptions configuration, RedisPageCacheOptions options)
    {
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ConnectTimeout = (int)options.ConnectTimeout.TotalMilliseconds;
        configuration.AsyncTimeout = (int)options.OperationTimeout.TotalMilliseconds;
        configuration.SyncTimeout = (int)options.OperationTimeout.TotalMilliseconds;
        configuration.ReconnectRetryPolicy = new LinearRetry(500);
        configuration.ClientName ??= "pypilocal";
    }

    public async ValueTask<CacheLookup> GetAsync(PageKey key, CancellationToken cancellationToken)
    {
        RenewLease();
        var near = NearCacheActive ? _near : null;
        if (near is not null && near.TryGet(key, out var entry))
        {
            return new CacheLookup(entry.Page, entry.Generation);
        }

        var seen = _near?.Version ?? 0;
        var result = await RunAsync(
            db => db.ScriptEvaluateAsync(RedisPageScripts.Get, [_keys.Epoch, _keys.Generation(key.Project)], [EpochSeed(), _keys.PagePrefix(key)]),
            cancellationToken);
        if (result is null)
        {
            return new CacheLookup(null, -1);
        }

        var parts = (RedisResult[])result!;
        var generation = Pack((long)parts[0], (long)parts[1]);
        var body = (byte[]?)parts[2];
        if (body is null)
        {
            return new CacheLookup(null, generation);
        }

        var expires = (string?)parts[5] is { Length: > 0 } x ? DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(x, CultureInfo.InvariantCulture)) : (DateTimeOffset?)null;
        var page = new CachedPage(body, (string)parts[3]!, (string)parts[4]!, expires, (string?)parts[6] is { Length: > 0 } stamp ? stamp : null);
        near?.TryAdd(key, page, generation, seen);
        return new CacheLookup(page, generation);
    }

    /// <summary>From this node's memory within the lease, like a page, and dropped by the same invalidations.</summary>
    public async ValueTask<long> GetGenerationAsync(string project, CancellationToken cancellationToken)
    {
        RenewLease();
        var near = NearCacheActive ? _near : null;
        if (near is not null && near.TryGetGeneration(project, out var known))
        {
            return known;
        }

        var seen = _near?.Version ?? 0;
        var result = await RunAsync(
            db => db.ScriptEvaluateAsync(RedisPageScripts.Generation, [_keys.Epoch, _keys.Generation(project)], [EpochSeed()]),
            cancellationToken);
        if (result is null)
        {
            return -1;
        }

        var parts = (RedisResult[])result!;
        var generation = Pack((long)parts[0], (long)parts[1]);
        near?.TryAddGeneration(project, generation, seen);
        return generation;
    }

    public async ValueTask SetAsync(PageKey key, CachedPage page, long generation, CancellationToken cancellationToken)
    {
        if (generation < 0)
        {
            return;
        }

        var seen = _near?.Version ?? 0;
        var (epoch, scopeGeneration) = Unpack(generation);
        var stored = await RunAsync(
            db => db.ScriptEvaluateAsync(
                RedisPageScripts.Set,
                [_keys.Epoch, _keys.Generation(key.Project)],
                [_keys.PagePrefix(key), epoch, scopeGeneration, page.Body, page.ContentType, page.ETag, (long)LifetimeOf(page).TotalMilliseconds,
                    page.Expires?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) ?? "", page.Stamp ?? ""]),
            cancellationToken);
        if (stored is not null && (long)stored == 1 && NearCacheActive)
        {
            _near?.TryAdd(key, page, generation, seen);
        }
    }

    /// <summary>A page's own expiry (an upstream page's revalidation, a "no such page"), else <c>Cache:PageTtl</c>.</summary>
    private TimeSpan LifetimeOf(CachedPage page) =>
        page.Expires is { } expires
            ? TimeSpan.FromMilliseconds(Math.Clamp((expires - _time.GetUtcNow()).TotalMilliseconds, 1, _options.PageTtl.TotalMilliseconds))
            : _options.PageTtl;

    public async ValueTask InvalidateProjectAsync(string project, CancellationToken cancellationToken) =>
        await InvalidateAsync(project, (db, message) => db.ScriptEvaluateAsync(
            RedisPageScripts.InvalidateProject,
            [_keys.Generation(project), _keys.RootGeneration],
            [_keys.Invalidations.ToString(), message]), cancellationToken);

    public async ValueTask InvalidateAllAsync(CancellationToken cancellationToken) =>
        await InvalidateAsync(Everything, AdvanceEpochAsync, cancellationToken);

    private static string Message(string node, long id, string scope) => $"{node}|{id.ToString(CultureInfo.InvariantCulture)}|{scope}";

    /// <summary>Pings Redis (recovering first if an outage left the cache suspect); false when it cannot be reached.</summary>
    public async Task<bool> ProbeAsync(CancellationToken cancellationToken) =>
        await RunAsync(async db => (object)await db.PingAsync(), cancellationToken) is not null;

    public async ValueTask DisposeAsync()
    {
        _heartbeat?.Dispose();
        var connection = await _connection;
        if (_ownsConnection)
        {
            await connection.DisposeAsync();
        }
    }

    /// <summary>Epoch in the high 32 bits, scope generation in the low: one number the caller hands back to <see cref="SetAsync"/>.</summary>
    private static long Pack(long epoch, long generation) => (epoch << 32) | (generation & 0xFFFF_FFFF);

    private static (long Epoch, long Generation) Unpack(long packed) => (packed >> 32, packed & 0xFFFF_FFFF);

    /// <summary>Seconds since 2025: where a fresh Redis starts its epoch, and the least value InvalidateAll moves it to.</summary>
    private long EpochSeed() => (long)(_time.GetUtcNow() - EpochOrigin).TotalSeconds;

    private Task<RedisResult> AdvanceEpochAsync(IDatabase db, string message) =>
        db.ScriptEvaluateAsync(RedisPageScripts.InvalidateAll, [_keys.Epoch], [EpochSeed(), _keys.Invalidations.ToString(), message]);

    /// <summary>Runs an invalidation script that publishes <c>{node}|{id}|{scope}</c>, then waits for every receiver to drop its near copies.</summary>
    private async Task InvalidateAsync(string scope, Func<IDatabase, string, Task<RedisResult>> script, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _invalidationIds);
        _acks.Register(id);
        var receivers = await RunAsync(db => script(db, Message(_node, id, scope)), cancellationToken);
        if (receivers is null)
        {
            _acks.Forget(id);
            return;
        }

        await WaitForAcksAsync(id, scope, (long)receivers, cancellationToken);
    }

    private async Task WaitForAcksAsync(long id, string scope, long receivers, CancellationToken cancellationToken)
    {
        foreach (var gone in _peers.Where(p => _time.GetElapsedTime(p.Value) > _options.NearCacheLease * 100))
        {
            _peers.TryRemove(gone);
        }

        var peers = _peers.Where(p => _time.GetElapsedTime(p.Value) < _options.NearCacheLease).Select(p => p.Key).ToList();
        if (!await _acks.WaitAsync(id, receivers, peers, _options.NearCacheLease, cancellationToken))
        {
            _logger.LogWarning("Invalidation of {Scope}: not every node acknowledged within the near-cache lease ({Lease})", scope, _options.NearCacheLease);
        }
    }

    private async Task<IConnectionMultiplexer> ConnectAsync(ConfigurationOptions configuration) =>
        await AttachAsync(await ConnectionMultiplexer.ConnectAsync(configuration));

    private async Task<IConnectionMultiplexer> AttachAsync(IConnectionMultiplexer connection)
    {
        connection.ConnectionFailed += (_, e) => OnFailure(e.Exception?.Message ?? e.FailureType.ToString());
        connection.ConnectionRestored += (_, _) => _ = ProbeAsync(CancellationToken.None);
        if (!connection.IsConnected)
        {
            OnFailure("no connection at start");
        }
        else if (_near is not null)
        {
            await SubscribeAsync(connection);
        }

        return connection;
    }

    /// <summary>Subscribes once (StackExchange.Redis restores subscriptions after a reconnect), then pings to start a lease.</summary>
    private async Task SubscribeAsync(IConnectionMultiplexer connection)
    {
        if (_near is null)
        {
            return;
        }

        try
        {
            if (Interlocked.CompareExchange(ref _subscribed, 1, 0) == 0)
            {
                var subscriber = connection.GetSubscriber();
                (await subscriber.SubscribeAsync(_keys.Invalidations)).OnMessage(OnInvalidation);
                (await subscriber.SubscribeAsync(_keys.Acks(_node))).OnMessage(OnAck);
            }

            Ping(connection);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Interlocked.Exchange(ref _subscribed, 0);
            OnFailure(e.Message);
        }
    }

    /// <summary>Publishes a ping through the invalidation channel; when it comes back, the lease runs from when it was sent.</summary>
    private void Ping(IConnectionMultiplexer connection)
    {
        var now = _time.GetTimestamp();
        Interlocked.Exchange(ref _lastPing, now);
        Publish(connection, _keys.Invalidations, $"ping|{_node}|{Interlocked.Read(ref _failures)}|{now.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>Fire-and-forget publish; with fail-fast it may still throw when the connection has just dropped, which must not fail a request.</summary>
    private void Publish(IConnectionMultiplexer connection, RedisChannel channel, string message)
    {
        try
        {
            connection.GetSubscriber().Publish(channel, message, CommandFlags.FireAndForget);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            OnFailure(e.Message);
        }
    }

    /// <summary>Renews the lease (a ping every quarter lease): from the heartbeat, and on the way of a read.</summary>
    private void RenewLease()
    {
        if (_near is null || IsDegraded || !_connection.IsCompletedSuccessfully)
        {
            return;
        }

        var last = Interlocked.Read(ref _lastPing);
        if (_time.GetElapsedTime(last) < _options.NearCacheLease / 4 || Interlocked.CompareExchange(ref _lastPing, _time.GetTimestamp(), last) != last)
        {
            return;
        }

        if (Volatile.Read(ref _subscribed) == 0)
        {
            _ = SubscribeAsync(_connection.Result);
        }
        else
        {
            Ping(_connection.Result);
        }
    }

    private void OnInvalidation(ChannelMessage message)
    {
        var parts = ((string?)message.Message ?? "").Split('|');
        if (parts is ["ping", var node, var failuresText, var sentText])
        {
            // Any node's ping: its lease may run for a while from now, so invalidations wait for its ack.
            _peers[node] = _time.GetTimestamp();

            // Our own ping is back: every invalidation published before it has been processed (one channel, in order).
            if (node == _node
                && long.TryParse(failuresText, NumberStyles.None, CultureInfo.InvariantCulture, out var failures)
                && long.TryParse(sentText, NumberStyles.None, CultureInfo.InvariantCulture, out var sent)
                && failures == Interlocked.Read(ref _failures))
            {
                Interlocked.Exchange(ref _liveAtFailures, failures);
                InterlockedMax(ref _leaseStart, sent);
            }

            return;
        }

        if (parts is not [var sender, var id, var scope])
        {
            return;
        }

        if (scope == Everything)
        {
            _near?.Clear();
        }
        else
        {
            _near?.DropProject(scope);
        }

        if (_connection.IsCompletedSuccessfully && id != "0")
        {
            Publish(_connection.Result, _keys.Acks(sender), $"{id}|{_node}");
        }
    }

    private void OnAck(ChannelMessage message)
    {
        if (((string?)message.Message ?? "").Split('|') is [var idText, var node]
            && long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            _acks.Acknowledge(id, node);
        }
    }

    /// <summary>Runs one Redis operation; null when Redis failed or timed out (the caller renders from storage).</summary>
    private async Task<T?> RunAsync<T>(Func<IDatabase, Task<T>> operation, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var connection = await _connection.WaitAsync(cancellationToken);
            var database = connection.GetDatabase();
            var failures = Interlocked.Read(ref _failures);
            if (failures != Interlocked.Read(ref _recoveredFailures))
            {
                await RecoverAsync(connection, database, failures).WaitAsync(cancellationToken);
            }

            var result = await operation(database).WaitAsync(cancellationToken);
            OnSuccess();
            return result;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            OnFailure(e.Message);
            return null;
        }
    }

    /// <summary>After an outage, invalidations may have been lost: advance the epoch once (shared by concurrent callers) before serving a page.</summary>
    private Task RecoverAsync(IConnectionMultiplexer connection, IDatabase database, long failures)
    {
        lock (_gate)
        {
            if (_recovery is null || _recovery.IsCompleted)
            {
                _recovery = RecoverCoreAsync(connection, database, failures);
            }

            return _recovery;
        }
    }

    // Not through RunAsync (which awaits this recovery): the script and the acks directly. Every node drops its
    // near copies before this node counts as recovered.
    private async Task RecoverCoreAsync(IConnectionMultiplexer connection, IDatabase database, long failures)
    {
        var id = Interlocked.Increment(ref _invalidationIds);
        _acks.Register(id);
        try
        {
            var receivers = (long)await AdvanceEpochAsync(database, Message(_node, id, Everything));
            await SubscribeAsync(connection);
            await WaitForAcksAsync(id, Everything, receivers, CancellationToken.None);
        }
        finally
        {
            _acks.Forget(id);
        }

        InterlockedMax(ref _recoveredFailures, failures);
        _logger.LogInformation("Redis page cache reachable again; advanced the epoch, since invalidations may have been lost");
    }

    private void OnFailure(string reason)
    {
        Interlocked.Increment(ref _failures);
        _near?.Clear();
        if (Interlocked.Exchange(ref _degraded, 1) == 0)
        {
            _logger.LogWarning("Redis page cache unreachable, rendering pages from storage until it is back: {Reason}", reason);
        }
    }

    private void OnSuccess() => Interlocked.CompareExchange(ref _degraded, 0, 1);

    private static void InterlockedMax(ref long location, long value)
    {
        var current = Interlocked.Read(ref location);
        while (current < value)
        {
            var seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
