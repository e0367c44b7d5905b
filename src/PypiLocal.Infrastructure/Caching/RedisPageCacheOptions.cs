using System.ComponentModel.DataAnnotations;

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

    /// <summary>The longest a node waits for a (re)connection attempt.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(1);
}
