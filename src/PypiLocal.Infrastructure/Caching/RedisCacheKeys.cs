using PypiLocal.Core.Caching;
using StackExchange.Redis;

namespace PypiLocal.Infrastructure.Caching;

/// <summary>
/// The key layout, in one place. With the default prefix:
/// <list type="bullet">
/// <item><c>pypilocal:epoch</c>: the global epoch, advanced by InvalidateAll and after an outage.</item>
/// <item><c>pypilocal:gen:root</c>, <c>pypilocal:gen:p:{project}</c>: per-scope generations, advanced by invalidations (no TTL).</item>
/// <item><c>pypilocal:page:{PageKey}:{epoch}:{generation}</c>: a hash (b body, t content type, e ETag) with the page TTL.</item>
/// <item>channel <c>pypilocal:invalidations</c>: <c>{node}|{id}|{project or *}</c>, published by the invalidation scripts,
/// and each node's lease pings <c>ping|{node}|{failures}|{timestamp}</c> (one channel, so a ping back proves every earlier invalidation seen).</item>
/// <item>channel <c>pypilocal:acks:{node}</c>: <c>{id}|{acking node}</c> acknowledgements.</item>
/// </list>
/// Page keys carry the epoch and generation they were rendered under, so an invalidation makes older pages unreachable at once.
/// </summary>
internal sealed class RedisCacheKeys(string prefix)
{
    public RedisKey Epoch { get; } = prefix + "epoch";

    public RedisKey RootGeneration { get; } = prefix + "gen:root";

    public RedisChannel Invalidations { get; } = RedisChannel.Literal(prefix + "invalidations");

    public RedisChannel Acks(string node) => RedisChannel.Literal(prefix + "acks:" + node);

    public RedisKey Generation(string? project) => project is null ? RootGeneration : (RedisKey)(prefix + "gen:p:" + project);

    /// <summary>The page's key without its <c>{epoch}:{generation}</c> suffix, which the scripts append from what they read.</summary>
    public string PagePrefix(PageKey key) => $"{prefix}page:{key}:";

    public string PageKey(PageKey key, long epoch, long generation) => $"{PagePrefix(key)}{epoch}:{generation}";
}
