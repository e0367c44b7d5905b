using Microsoft.Extensions.Options;
using PypiLocal.Api.Publishing;
using PypiLocal.Api.Pypiserver;
using PypiLocal.Api.Security;
using PypiLocal.Core;
using PypiLocal.Infrastructure.Caching;

namespace PypiLocal.Api.Hosting;

/// <summary>The composition root of the web host and the commands: Core, the chosen storage, the chosen cache.</summary>
internal static class ApiServiceCollectionExtensions
{
    /// <summary>
    /// Every service, with backends picked from configuration alone (Aspire's conventions):
    /// <c>ConnectionStrings:storage</c> set, an S3 bucket; else <c>Storage:Type=Memory</c>, a bucket in memory; else
    /// folders. <c>ConnectionStrings:cache</c> set, Redis; else pages in process memory, expiring over a bucket.
    /// Exactly one storage and one cache are registered, so the order of the calls below does not matter.
    /// </summary>
    public static IServiceCollection AddPypiLocal(this IServiceCollection services, IConfiguration configuration)
    {
        var usesBucket = !string.IsNullOrWhiteSpace(configuration.GetConnectionString(S3StorageServiceCollectionExtensions.ConnectionStringName));
        var usesMemoryBucket = string.Equals(configuration["Storage:Type"], "Memory", StringComparison.OrdinalIgnoreCase);
        var usesRedis = !string.IsNullOrWhiteSpace(configuration.GetConnectionString(RedisCacheServiceCollectionExtensions.ConnectionName));

        services.AddPypiLocalCore();
        if (usesBucket)
        {
            services.AddS3Storage(configuration);
        }
        else if (usesMemoryBucket)
        {
            services.AddMemoryBucket();
        }
        else
        {
            services.AddFolderStorage();
        }

        if (usesRedis)
        {
            services.AddRedisPageCache(configuration);
        }
        else if (usesBucket)
        {
            services.AddExpiringPageCache();
        }

        services.AddOptions<ServerOptions>()
            .Bind(configuration)
            .Validate(o => o.ShutdownTimeout > TimeSpan.Zero, "ShutdownTimeout must be positive.")
            .ValidateOnStart();
        services.AddOptions<HostOptions>().Configure<IOptions<ServerOptions>>((host, server) => host.ShutdownTimeout = server.Value.ShutdownTimeout);
        services.AddPypiserverCompatibility();
        services.AddSingleton<UploadFormReader>();
        services.AddPypiLocalSecurity();
        services.AddAnonymousReadLimit();
        services.AddProblemDetails();
        return services;
    }
}
