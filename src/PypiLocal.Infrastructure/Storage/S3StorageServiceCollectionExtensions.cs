using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Catalog.Bucket;
using PypiLocal.Core;
using PypiLocal.Core.Storage;
using PypiLocal.Infrastructure.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers S3 storage when <c>ConnectionStrings:storage</c> is set.</summary>
public static class S3StorageServiceCollectionExtensions
{
    public const string ConnectionStringName = "storage";

    /// <summary>
    /// When <c>ConnectionStrings:storage</c> is set: the validated <see cref="S3StorageOptions"/>, the
    /// <see cref="S3BlobStore"/> as <see cref="IBlobStore"/>, <see cref="BucketRepository"/> as
    /// <see cref="IPackageRepository"/> with reindex, and a "storage" health check. Otherwise nothing.
    /// </summary>
    public static IServiceCollection AddS3Storage(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return services;
        }

        services.AddOptions<S3StorageOptions>()
            .BindConfiguration(S3StorageOptions.SectionName)
            .PostConfigure(options => S3ConnectionString.Apply(connectionString, options))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<S3StorageOptions>, S3StorageOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<S3BlobStore>();
        services.TryAddSingleton<IBlobStore>(sp => sp.GetRequiredService<S3BlobStore>());
        services.AddBucketRepository();
        services.TryAddSingleton<S3StorageHealthCheck>(); // one instance, so its cached answer outlives a probe
        services.AddHealthChecks().AddCheck<S3StorageHealthCheck>("storage", tags: ["ready"]);
        return services;
    }
}
