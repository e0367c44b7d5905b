using PypiLocal.Core;
using PypiLocal.Core.Storage;
using PypiLocal.Infrastructure.Caching;

namespace PypiLocal.Api.Hosting;

/// <summary>The composition root: picks the storage and cache backends from configuration.</summary>
internal static class ApiServiceCollectionExtensions
{
    public static IServiceCollection AddPypiLocal(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddProblemDetails();
        AddStorage(services, configuration);
        services.AddRedisPageCache(configuration); // before AddPypiLocalCore, which falls back to the in-memory cache
        services.AddProjectSettings(configuration);
        services.AddPypiLocalCore();
        return services;
    }

    /// <summary>
    /// <c>ConnectionStrings:storage</c> set: an S3 bucket. <c>Storage:Type=Memory</c>: a bucket in memory (tests, demos).
    /// Otherwise the embedded default: folders.
    /// </summary>
    private static void AddStorage(IServiceCollection services, IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(configuration.GetConnectionString(S3StorageServiceCollectionExtensions.ConnectionStringName)))
        {
            services.AddS3Storage(configuration);
        }
        else if (string.Equals(configuration["Storage:Type"], "Memory", StringComparison.OrdinalIgnoreCase))
        {
            services.AddSingleton<IBlobStore, InMemoryBlobStore>();
            services.AddBucketRepository();
        }
        else
        {
            services.AddFolderStorage(configuration);
        }
    }
}
