using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Downloads;
using PypiLocal.Core.Folder;
using PypiLocal.Core.Pages;
using PypiLocal.Core.Storage;

namespace PypiLocal.Core.Upstream;

public static class UpstreamServiceCollectionExtensions
{
    /// <summary>In a bucket, the upstream cache lives under this prefix, beside the local catalog.</summary>
    public const string BucketPrefix = "upstream/";

    /// <summary>
    /// Upstream indexes and release policies (section <c>Upstream</c>, bound and validated on start), and the services
    /// that serve pages and files through them; part of <see cref="CoreServiceCollectionExtensions.AddPypiLocalCore"/>.
    /// The upstream cache goes where the storage is: with an <see cref="IBlobStore"/> (bucket) into it under
    /// <see cref="BucketPrefix"/>; with folders, into <c>Upstream:CacheDirectory</c>. Both are resolved when first
    /// used, so the storage may be registered before or after. With no index configured nothing is ever fetched.
    /// </summary>
    public static IServiceCollection AddUpstream(this IServiceCollection services)
    {
        // Once, however often this is called: a second health check or client pipeline of the same name would fail.
        if (services.Any(d => d.ServiceType == typeof(UpstreamHealthCheck)))
        {
            return services;
        }

        services.AddOptions<UpstreamOptions>()
            .BindConfiguration(UpstreamOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) =>
                configuration.GetSection($"{UpstreamOptions.SectionName}:{nameof(UpstreamOptions.Projects)}").Bind(options.Projects))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<UpstreamOptions>, UpstreamOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ReleasePolicy(sp.GetRequiredService<IOptions<UpstreamOptions>>().Value));
        services.TryAddSingleton(sp => new UpstreamStore(
            sp.GetService<IBlobStore>() is { } bucket ? bucket : new FolderBlobStore(CacheDirectory(sp)),
            sp.GetService<IBlobStore>() is null ? "" : BucketPrefix));
        services.TryAddSingleton<UpstreamHealth>();
        services.TryAddSingleton<UpstreamClient>();
        services.TryAddSingleton<UpstreamProjects>();
        services.TryAddSingleton<UpstreamFiles>();
        services.TryAddSingleton<UpstreamCache>();
        services.TryAddSingleton<UpstreamPrefetch>();
        services.TryAddSingleton<UpdateFinder>();
        services.TryAddSingleton<ProjectViews>();
        services.TryAddSingleton<PackageDownloads>();

        AddClient(services, UpstreamClient.PagesClient, DecompressionMethods.All);
        AddClient(services, UpstreamClient.FilesClient, DecompressionMethods.None);
        services.AddSingleton<UpstreamHealthCheck>();
        services.AddHealthChecks().AddCheck<UpstreamHealthCheck>("upstream", HealthStatus.Degraded, ["ready"]);

        return services;
    }

    /// <summary>
    /// <c>Upstream:CacheDirectory</c>, else <c>upstream</c> in the folders' state directory: the package folders hold
    /// only distributions (and may be read-only).
    /// </summary>
    public static string CacheDirectory(IServiceProvider services) =>
        services.GetRequiredService<IOptions<UpstreamOptions>>().Value.CacheDirectory is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(services.GetRequiredService<IOptions<FolderStorageOptions>>().Value.ResolvedStateDirectory(), "upstream");

    // Files are streamed for as long as they take: only connecting and the response headers are bounded, by the
    // resilience handler's timeouts; the transfer itself by an idle timeout in UpstreamFetch.
    private static void AddClient(IServiceCollection services, string name, DecompressionMethods decompression)
    {
        var client = services.AddHttpClient(name)
            .ConfigureHttpClient(http =>
            {
                http.Timeout = Timeout.InfiniteTimeSpan;
                http.DefaultRequestHeaders.UserAgent.ParseAdd("pypilocal-upstream/1.0");
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AutomaticDecompression = decompression,
                ConnectTimeout = TimeSpan.FromSeconds(10),
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            });

#pragma warning disable EXTEXP0001 // The service defaults give every client a standard handler; these need their own settings, not two nested pipelines.
        client.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        client.AddStandardResilienceHandler()
            .Configure((resilience, sp) =>
            {
                var timeout = sp.GetRequiredService<IOptions<UpstreamOptions>>().Value.RequestTimeout;
                resilience.AttemptTimeout.Timeout = timeout;
                resilience.TotalRequestTimeout.Timeout = timeout * 3;
                resilience.Retry.MaxRetryAttempts = 2;
                resilience.Retry.Delay = TimeSpan.FromMilliseconds(200);
                resilience.CircuitBreaker.SamplingDuration = timeout * 2 > TimeSpan.FromSeconds(30) ? timeout * 2 : TimeSpan.FromSeconds(30);
            });
    }
}
