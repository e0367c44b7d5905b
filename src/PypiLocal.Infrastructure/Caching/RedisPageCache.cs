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
/// </summary>
public sealed class RedisPageCache : IPageCache, IAsyncDisposable
{
    // KEYS: epoch, scope generation. ARGV: page key prefix, epoch seed.
    // A missing epoch means an empty (restarted or flushed) Redis: start it from the clock, so it never
    // repeats an epoch a render still in flight from before the restart may carry.
    private const string GetScript = """
        local e = redis.call('GET', KEYS[1])
        if not e then
          e = ARGV[2]
          redis.call('SET', KEYS[1], e)
        end
        local g = redis.call('GET', KEYS[2]) or '0'
        local p = redis.call('HMGET', ARGV[1] .. e .. ':' .. g, 'b', 't', 'e')
        return {tonumber(e), tonumber(g), p[1], p[2], p[3]}
        """;

    // KEYS: epoch, scope generation. ARGV: page key prefix, epoch, generation, body, content type, ETag, TTL ms.
    // Stores only if the generation has not moved on since the lookup, so nothing unreachable is written.
    private const string SetScript = """
        local e = redis.call('GET', KEYS[1])
        local g = redis.call('GET', KEYS[2]) or '0'
        if e ~= ARGV[2] or g ~= ARGV[3] then
          return 0
        end
        local k = ARGV[1] .. e .. ':' .. g
        redis.call('HSET', k, 'b', ARGV[4], 't', ARGV[5], 'e', ARGV[6])
        redis.call('PEXPIRE', k, ARGV[7])
        return 1
        """;

    // KEYS: project generation, root generation.
    private const string InvalidateProjectScript = """
        redis.call('INCR', KEYS[1])
        redis.call('INCR', KEYS[2])
        return 1
        """;

    // KEYS: epoch. ARGV: epoch seed. The epoch only moves forward, and never below the clock.
    private const string InvalidateAllScript = """
        local e = tonumber(redis.call('GET', KEYS[1]) or '0')
        local t = tonumber(ARGV[1])
        if t > e then e = t else e = e + 1 end
        redis.call('SET', KEYS[1], string.format('%d', e))
        return e
        """;

    private static readonly DateTimeOffset EpochOrigin = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly RedisPageCacheOptions _options;
    private readonly RedisCacheKeys _keys;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisPageCache> _logger;
    private readonly Task<ConnectionMultiplexer> _connection;
    private readonly Lock _gate = new();
    private Task? _recovery;
    private long _failures;
    private long _recoveredFailures;
    private int _degraded;

    public RedisPageCache(IOptions<RedisPageCacheOptions> options, TimeProvider time, ILogger<RedisPageCache> logger)
    {
        _options = options.Value;
        _keys = new RedisCacheKeys(_options.KeyPrefix);
        _time = time;
        _logger = logger;
        _connection = ConnectAsync(ConfigurationFor(_options));
    }

    /// <summary>True while Redis is unreachable or the cache is suspect after an outage (pages come from storage).</summary>
    public bool IsDegraded => Volatile.Read(ref _degraded) == 1 || Interlocked.Read(ref _failures) != Interlocked.Read(ref _recoveredFailures);

    /// <summary>The StackExchange.Redis settings: start and reconnect alone, fail fast and short while Redis is away.</summary>
    internal static ConfigurationOptions ConfigurationFor(RedisPageCacheOptions options)
    {
        var configuration = ConfigurationOptions.Parse(options.ConnectionString);
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ConnectTimeout = (int)options.ConnectTimeout.TotalMilliseconds;
        configuration.AsyncTimeout = (int)options.OperationTimeout.TotalMilliseconds;
        configuration.SyncTimeout = (int)options.OperationTimeout.TotalMilliseconds;
        configuration.ReconnectRetryPolicy = new LinearRetry(500);
        configuration.ClientName ??= "pypilocal";
        return configuration;
    }

    public async ValueTask<CacheLookup> GetAsync(PageKey key, CancellationToken cancellationToken)
    {
        var result = await RunAsync(
            db => db.ScriptEvaluateAsync(GetScript, [_keys.Epoch, _keys.Generation(key.Project)], [_keys.PagePrefix(key), EpochSeed()]),
            cancellationToken);
        if (result is null)
        {
            return new CacheLookup(null, -1);
        }

        var parts = (RedisResult[])result!;
        var generation = Pack((long)parts[0], (long)parts[1]);
        var body = (byte[]?)parts[2];
        return body is null
            ? new CacheLookup(null, generation)
            : new CacheLookup(new CachedPage(body, (string)parts[3]!, (string)parts[4]!), generation);
    }

    public async ValueTask SetAsync(PageKey key, CachedPage page, long generation, CancellationToken cancellationToken)
    {
        if (generation < 0)
        {
            return;
        }

        var (epoch, scopeGeneration) = Unpack(generation);
        await RunAsync(
            db => db.ScriptEvaluateAsync(
                SetScript,
                [_keys.Epoch, _keys.Generation(key.Project)],
                [_keys.PagePrefix(key), epoch, scopeGeneration, page.Body, page.ContentType, page.ETag, (long)_options.PageTtl.TotalMilliseconds]),
            cancellationToken);
    }

    public async ValueTask InvalidateProjectAsync(string project, CancellationToken cancellationToken) =>
        await RunAsync(db => db.ScriptEvaluateAsync(InvalidateProjectScript, [_keys.Generation(project), _keys.RootGeneration]), cancellationToken);

    public async ValueTask InvalidateAllAsync(CancellationToken cancellationToken) =>
        await RunAsync(AdvanceEpochAsync, cancellationToken);

    /// <summary>Pings Redis (recovering first if an outage left the cache suspect); false when it cannot be reached.</summary>
    public async Task<bool> ProbeAsync(CancellationToken cancellationToken) =>
        await RunAsync(async db => (object)await db.PingAsync(), cancellationToken) is not null;

    public async ValueTask DisposeAsync()
    {
        var connection = await _connection;
        await connection.DisposeAsync();
    }

    /// <summary>Epoch in the high 32 bits, scope generation in the low: one number the caller hands back to <see cref="SetAsync"/>.</summary>
    private static long Pack(long epoch, long generation) => (epoch << 32) | (generation & 0xFFFF_FFFF);

    private static (long Epoch, long Generation) Unpack(long packed) => (packed >> 32, packed & 0xFFFF_FFFF);

    /// <summary>Seconds since 2025: where a fresh Redis starts its epoch, and the least value InvalidateAll moves it to.</summary>
    private long EpochSeed() => (long)(_time.GetUtcNow() - EpochOrigin).TotalSeconds;

    private Task<RedisResult> AdvanceEpochAsync(IDatabase db) =>
        db.ScriptEvaluateAsync(InvalidateAllScript, [_keys.Epoch], [EpochSeed()]);

    private async Task<ConnectionMultiplexer> ConnectAsync(ConfigurationOptions configuration)
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(configuration);
        connection.ConnectionFailed += (_, e) => OnFailure(e.Exception?.Message ?? e.FailureType.ToString());
        connection.ConnectionRestored += (_, _) => _ = ProbeAsync(CancellationToken.None);
        if (!connection.IsConnected)
        {
            OnFailure("no connection at start");
        }

        return connection;
    }

    /// <summary>Runs one Redis operation; null when Redis failed or timed out (the caller renders from storage).</summary>
    private async Task<T?> RunAsync<T>(Func<IDatabase, Task<T>> operation, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var database = (await _connection.WaitAsync(cancellationToken)).GetDatabase();
            var failures = Interlocked.Read(ref _failures);
            if (failures != Interlocked.Read(ref _recoveredFailures))
            {
                await RecoverAsync(database, failures).WaitAsync(cancellationToken);
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
    private Task RecoverAsync(IDatabase database, long failures)
    {
        lock (_gate)
        {
            if (_recovery is null || _recovery.IsCompleted)
            {
                _recovery = RecoverCoreAsync(database, failures);
            }

            return _recovery;
        }
    }

    private async Task RecoverCoreAsync(IDatabase database, long failures)
    {
        await AdvanceEpochAsync(database);
        InterlockedMax(ref _recoveredFailures, failures);
        _logger.LogInformation("Redis page cache reachable again; advanced the epoch, since invalidations may have been lost");
    }

    private void OnFailure(string reason)
    {
        Interlocked.Increment(ref _failures);
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
