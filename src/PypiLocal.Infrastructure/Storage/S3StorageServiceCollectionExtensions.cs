using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Http.Resilience;
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
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<S3StorageOptions>, S3StorageOptionsAttributes>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<S3StorageOptions>, S3StorageOptionsValidator>());
        services.AddS3BlobStore();
        services.AddHostedService<ConditionalWriteCheck>();
        services.AddBucketRepository();
        services.TryAddSingleton<S3StorageHealthCheck>(); // one instance, so its cached answer outlives a probe
        services.AddHealthChecks().AddCheck<S3StorageHealthCheck>("storage", tags: ["ready"]);
        return services;
    }

    /// <summary>
    /// <see cref="S3BlobStore"/> as <see cref="IBlobStore"/> over the registered <see cref="S3StorageOptions"/>, with its
    /// HTTP client: one pooled connection handler, and the standard resilience handler configured for S3 in place of
    /// whatever the service defaults give every client (<see cref="S3Resilience"/>).
    /// </summary>
    public static IServiceCollection AddS3BlobStore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        var client = services.AddHttpClient(S3Resilience.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                ConnectTimeout = TimeSpan.FromSeconds(5),
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                AutomaticDecompression = DecompressionMethods.None,
                MaxConnectionsPerServer = 256,
            })
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)

            // The store holds one client for its lifetime; the handler's own pool renews connections.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)

            // Four log lines per storage request would drown the node's own; retries are logged by the resilience handler.
            .RemoveAllLoggers();

        // The service defaults give every client a standard handler that would retry conditional writes and
        // time out large uploads; this is the documented way to replace it (marked experimental).
#pragma warning disable EXTEXP0001
        client.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        client.AddStandardResilienceHandler()
            .Configure((resilience, provider) => S3Resilience.Configure(resilience, provider.GetRequiredService<IOptions<S3StorageOptions>>().Value));
        services.TryAddSingleton<S3BlobStore>();
        services.TryAddSingleton<IBlobStore>(sp => sp.GetRequiredService<S3BlobStore>());
        return services;
    }
}
