using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Caching;
using StackExchange.Redis;

namespace PypiLocal.Infrastructure.Caching;

public static class RedisCacheServiceCollectionExtensions
{
    /// <summary>The connection string's resource name, as Aspire injects it (<c>ConnectionStrings__cache</c>).</summary>
    public const string ConnectionName = "cache";

    /// <summary>
    /// When <c>ConnectionStrings:cache</c> is set: the Redis page cache as <see cref="IPageCache"/> (replacing the
    /// in-process default, whichever was added first) and its "cache" health check.
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
            .Validate(o => o.PageTtl > TimeSpan.Zero, "Cache:PageTtl must be positive.")
            .Validate(o => o.OperationTimeout > TimeSpan.Zero && o.ConnectTimeout > TimeSpan.Zero, "Cache:OperationTimeout and Cache:ConnectTimeout must be positive.")
            .Validate(o => o.NearCacheMaxBytes >= 0 && o.NearCacheLease > TimeSpan.Zero, "Cache:NearCacheMaxBytes must be 0 (off) or more, Cache:NearCacheLease positive.")
            .Validate(o => IsValidConfiguration(o.ConnectionString), "ConnectionStrings:cache is not a valid Redis configuration string.")
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisPageCacheOptions>, RedisPageCacheOptionsAttributes>());
        services.TryAddSingleton(TimeProvider.System);
        // The host's connection when it made one (AddRedisPageCacheClient), else the cache connects itself.
        services.TryAddSingleton(sp => new RedisPageCache(
            sp.GetRequiredService<IOptions<RedisPageCacheOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RedisPageCache>>(),
            sp.GetService<IConnectionMultiplexer>()));
        services.AddSingleton<IPageCache>(sp => sp.GetRequiredService<RedisPageCache>());
        services.AddHealthChecks().AddCheck<RedisCacheHealthCheck>(ConnectionName, HealthStatus.Degraded, ["ready"]);
        return services;
    }

    /// <summary>
    /// In a web host, when <c>ConnectionStrings:cache</c> is set: the Redis connection comes from Aspire's client
    /// integration, so its commands are traced and exported with the node's telemetry (the Aspire dashboard
    /// shows them), configured as the page cache needs it. Its health check stays off: the page cache's own
    /// "cache" check reports Degraded, not Unhealthy, when Redis is away (nodes keep serving from storage).
    /// </summary>
    public static IHostApplicationBuilder AddRedisPageCacheClient(this IHostApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(ConnectionName)))
        {
            return builder;
        }

        var options = builder.Configuration.GetSection(RedisPageCacheOptions.SectionName).Get<RedisPageCacheOptions>() ?? new();
        builder.AddRedisClient(
            ConnectionName,
            settings => settings.DisableHealthChecks = true,
            configuration => RedisPageCache.Configure(configuration, options));
        // The client logs every connection step at Information; the page cache logs outages itself.
        builder.Logging.AddFilter("StackExchange.Redis", LogLevel.Warning);
        return builder;
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
