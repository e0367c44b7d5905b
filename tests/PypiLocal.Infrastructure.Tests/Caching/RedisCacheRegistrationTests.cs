using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PypiLocal.Core;
using PypiLocal.Core.Caching;
using PypiLocal.Infrastructure.Caching;

namespace PypiLocal.Infrastructure.Tests.Caching;

/// <summary>Which page cache DI picks: Redis when <c>ConnectionStrings:cache</c> is set, else the in-memory one.</summary>
public sealed class RedisCacheRegistrationTests
{
    [Fact]
    public async Task With_a_cache_connection_string_the_page_cache_is_redis_with_a_cache_health_check_and_the_configured_options()
    {
        await using var provider = Build(new()
        {
            ["ConnectionStrings:cache"] = "127.0.0.1:1,password=secret",
            ["Cache:KeyPrefix"] = "team-a:",
            ["Cache:PageTtl"] = "00:10:00",
        });

        Assert.IsType<RedisPageCache>(provider.GetRequiredService<IPageCache>());
        var options = provider.GetRequiredService<IOptions<RedisPageCacheOptions>>().Value;
        Assert.Equal("team-a:", options.KeyPrefix);
        Assert.Equal(TimeSpan.FromMinutes(10), options.PageTtl);
        Assert.Contains(provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations, r => r.Name == "cache");
    }

    [Fact]
    public async Task Without_a_cache_connection_string_the_embedded_in_memory_cache_stays()
    {
        await using var provider = Build([]);

        Assert.IsType<InMemoryPageCache>(provider.GetRequiredService<IPageCache>());
        Assert.DoesNotContain(provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations, r => r.Name == "cache");
    }

    [Fact]
    public async Task A_malformed_connection_string_fails_validation_with_the_setting_named()
    {
        await using var provider = Build(new() { ["ConnectionStrings:cache"] = "127.0.0.1:6379,nonsense-option=1" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RedisPageCacheOptions>>().Value);
        Assert.Contains("ConnectionStrings:cache", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IConfiguration>(configuration); // as every host registers it: Core binds its sections from it
        services.AddHealthChecks();
        services.AddRedisPageCache(configuration);
        services.AddPypiLocalCore();
        return services.BuildServiceProvider();
    }
}
