using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace PypiLocal.Infrastructure.Caching;

/// <summary>The Redis page cache (section <c>Cache</c>; the connection string is <c>ConnectionStrings:cache</c>).</summary>
public sealed class RedisPageCacheOptions
{
    public const string SectionName = "Cache";

    /// <summary>A StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379,password=x</c>. Set from <c>ConnectionStrings:cache</c>.</summary>
    [Required]
    public string ConnectionString { get; set; } = "";

    /// <summary>Prepended to every key, so several indexes can share one Redis.</summary>
    [Required]
    public string KeyPrefix { get; set; } = "pypilocal:";

    /// <summary>How long a rendered page lives; generations, not the TTL, keep pages fresh.</summary>
    public TimeSpan PageTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The longest a request waits for Redis before it renders from storage instead.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromMilliseconds(400);

    /// <summary>
    /// The per-node memory layer in front of Redis (0 turns it off). Kept coherent over Redis pub/sub: an
    /// invalidation completes once every subscribed node acknowledged dropping its copies.
    /// </summary>
    public long NearCacheMaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// How long a node may serve from memory after its last proof (a ping through the invalidation channel) that
    /// it has seen every invalidation; also the longest an invalidation waits for acknowledgements. Waiting no
    /// longer than the lease is safe: a node that did not acknowledge by then has stopped serving from memory.
    /// </summary>
    public TimeSpan NearCacheLease { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest a node waits for a (re)connection attempt.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>Checks the attributes of <see cref="RedisPageCacheOptions"/> with code generated at build time, not by reflection at start.</summary>
[OptionsValidator]
internal sealed partial class RedisPageCacheOptionsAttributes : IValidateOptions<RedisPageCacheOptions>;
