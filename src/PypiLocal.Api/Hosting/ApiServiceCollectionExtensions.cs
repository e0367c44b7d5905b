using Microsoft.Extensions.DependencyInjection.Extensions;
using PypiLocal.Core.Caching;
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
        services.AddRedisPageCache(configuration);

        // Without Redis, pages are kept in process within Cache:LocalMaxBytes. Over a bucket other nodes and
        // commands change it unannounced, so local pages also expire after Cache:LocalPageTtl.
        services.TryAddSingleton<IPageCache>(sp => new InMemoryPageCache(
            sp.GetRequiredService<TimeProvider>(),
            UsesBucket(configuration) ? configuration.GetValue("Cache:LocalPageTtl", TimeSpan.FromSeconds(2)) : null,
            configuration.GetValue("Cache:LocalMaxBytes", InMemoryPageCache.DefaultMaxBytes)));

        services.AddProjectSettings(configuration);
        services.AddPypiLocalCore();
        return services;
    }

    private static bool UsesMemoryBucket(IConfiguration configuration) =>
        string.Equals(configuration["Storage:Type"], "Memory", StringComparison.OrdinalIgnoreCase);

    private static bool UsesBucket(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration.GetConnectionString(S3StorageServiceCollectionExtensions.ConnectionStringName));

    /// <summary>
    /// <c>ConnectionStrings:storage</c> set: an S3 bucket. <c>Storage:Type=Memory</c>: a bucket in memory (tests, demos).
    /// Otherwise the embedded default: folders.
    /// </summary>
    private static void AddStorage(IServiceCollection services, IConfiguration configuration)
    {
        if (UsesBucket(configuration))
        {
            services.AddS3Storage(configuration);
        }
        else if (UsesMemoryBucket(configuration))
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
