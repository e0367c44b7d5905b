using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PypiLocal.Core.Caching;
using StackExchange.Redis;

namespace PypiLocal.Infrastructure.Caching;

public static class RedisCacheServiceCollectionExtensions
{
    /// <summary>The connection string's resource name, as Aspire injects it (<c>ConnectionStrings__cache</c>).</summary>
    public const string ConnectionName = "cache";

    /// <summary>
    /// When <c>ConnectionStrings:cache</c> is set: the Redis page cache as <see cref="IPageCache"/> (call before
    /// AddPypiLocalCore, which only adds the in-memory cache if none is registered) and its "cache" health check.
    /// </summary>
    public static IServiceCollection AddRedisPageCache(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(ConnectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return services;
        }

        services.AddOptions<RedisPageCacheOptions>()
            .Bind(configuration.GetSection(RedisPageCacheOptions.SectionName))
            .Configure(o => o.ConnectionString = connectionString)
            .ValidateDataAnnotations()
            .Validate(o => o.PageTtl > TimeSpan.Zero, "Cache:PageTtl must be positive.")
            .Validate(o => o.OperationTimeout > TimeSpan.Zero && o.ConnectTimeout > TimeSpan.Zero, "Cache:OperationTimeout and Cache:ConnectTimeout must be positive.")
            .Validate(o => o.NearCacheMaxBytes >= 0 && o.NearCacheLease > TimeSpan.Zero, "Cache:NearCacheMaxBytes must be 0 (off) or more, Cache:NearCacheLease positive.")
            .Validate(o => IsValidConfiguration(o.ConnectionString), "ConnectionStrings:cache is not a valid Redis configuration string.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RedisPageCache>();
        services.AddSingleton<IPageCache>(sp => sp.GetRequiredService<RedisPageCache>());
        services.AddHealthChecks().AddCheck<RedisCacheHealthCheck>(ConnectionName, HealthStatus.Degraded, ["ready"]);
        return services;
    }

    private static bool IsValidConfiguration(string connectionString)
    {
        try
        {
            return ConfigurationOptions.Parse(connectionString).EndPoints.Count > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
