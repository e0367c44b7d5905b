using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PypiLocal.Core.Attestations;
using PypiLocal.Core.Audit;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Caching;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Catalog.Bucket;
using PypiLocal.Core.Folder;
using PypiLocal.Core.Indexing;
using PypiLocal.Core.Inspection;
using PypiLocal.Core.JsonApi;
using PypiLocal.Core.Maintenance;
using PypiLocal.Core.Pages;
using PypiLocal.Core.Projects;
using PypiLocal.Core.Publishing;
using PypiLocal.Core.Storage;
using PypiLocal.Core.TrustedPublishing;
using PypiLocal.Core.Upstream;

namespace PypiLocal.Core;

/// <summary>
/// Core's pieces for a composition root. Each registers its own types once; the root picks one storage and
/// one page cache, so no piece depends on the order in which the others were added.
/// </summary>
public static class CoreServiceCollectionExtensions
{
    /// <summary>
    /// What every mode needs, whatever the backends: the <c>Projects</c>, <c>Publishing</c>, <c>Auth</c>, <c>Attestations</c>,
    /// <c>TrustedPublishing</c>, <c>Index</c>, <c>Cache</c> and <c>Upstream</c> sections, bound and validated on start, and the
    /// page, download, JSON API, upload, management, import, account, attestation, trusted-publishing and upstream services.
    /// The in-process page cache is the default <see cref="IPageCache"/>; a root that registers another one with
    /// <c>AddSingleton</c> replaces it, before or after this call.
    /// </summary>
    public static IServiceCollection AddPypiLocalCore(this IServiceCollection services)
    {
        services.AddOptions<ProjectStatusOptions>()
            .Configure<IConfiguration>((options, configuration) => configuration.GetSection(ProjectStatusOptions.SectionName).Bind(options.Projects))
            .ValidateOnStart();
        services.AddOptions<PublishingOptions>()
            .BindConfiguration(PublishingOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PublishingOptions>, PublishingOptionsAttributes>());
        services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.SectionName)
            .PostConfigure<IConfiguration>((options, configuration) => options.Authenticate = ReadList(configuration.GetSection($"{AuthOptions.SectionName}:{nameof(AuthOptions.Authenticate)}")) ?? options.Authenticate)
            .PostConfigure<IConfiguration>((options, configuration) => ReadScalarRights(configuration.GetSection($"{AuthOptions.SectionName}:{nameof(AuthOptions.Rights)}"), options.Rights))
            .ValidateOnStart();
        services.AddOptions<IndexOptions>()
            .BindConfiguration(IndexOptions.SectionName)
            .ValidateOnStart();
        services.AddOptions<PageCacheOptions>()
            .BindConfiguration(PageCacheOptions.SectionName)
            .Validate(options => options.LocalPageTtl > TimeSpan.Zero, "Cache:LocalPageTtl must be positive.")
            .Validate(options => options.LocalMaxBytes > 0, "Cache:LocalMaxBytes must be positive.")
            .Validate(options => options.NotFoundTtl > TimeSpan.Zero, "Cache:NotFoundTtl must be positive.")
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProjectStatusOptions>, ProjectStatusOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PublishingOptions>, PublishingOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>());
        services.AddOptions<AttestationOptions>()
            .BindConfiguration(AttestationOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AttestationOptions>, AttestationOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IndexOptions>, IndexOptionsValidator>());
        services.AddOptions<TrustedPublishingOptions>()
            .BindConfiguration(TrustedPublishingOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TrustedPublishingOptions>, TrustedPublishingOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IPageCache>(sp => InProcessPageCache(sp, expiring: false));
        services.TryAddSingleton<ProjectStatuses>();
        services.TryAddSingleton<UnknownProjects>();
        services.TryAddSingleton<IndexPageService>();
        services.TryAddSingleton<JsonApiService>();
        services.TryAddSingleton<DistributionInspector>();
        services.TryAddSingleton<ImportService>();
        services.TryAddSingleton<HtpasswdFile>();
        services.TryAddSingleton<UserRights>();
        services.TryAddSingleton<ITokenStore>(TokenStore);
        services.TryAddSingleton<TokenService>();
        services.TryAddSingleton(AccountStore);
        services.TryAddSingleton<StoredPasswordAccounts>();
        services.TryAddSingleton<IPasswordAccounts>(sp => sp.GetRequiredService<IOptions<AuthOptions>>().Value.AccountsAreStored
            ? sp.GetRequiredService<StoredPasswordAccounts>()
            : sp.GetRequiredService<HtpasswdFile>());
        services.TryAddSingleton<AccountService>();
        services.TryAddSingleton<IndexAuthenticator>();
        services.TryAddSingleton<UploadSlots>();
        services.TryAddSingleton<UploadStager>();
        services.TryAddSingleton<UploadValidator>();
        services.TryAddSingleton(sp => new AttestationVerifier(AttestationTrustRoot.Load(sp.GetRequiredService<IOptions<AttestationOptions>>().Value)));
        services.TryAddSingleton<ReleaseProtection>();
        services.TryAddSingleton(sp => new OidcTokenVerifier(
            sp.GetRequiredService<IOptions<TrustedPublishingOptions>>(),
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(15) },
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<TrustedPublishingService>();
        services.TryAddSingleton<UploadService>();
        services.TryAddSingleton<PackageManagementService>();

        // The storage registrations give the AuditLog and AuditTrail; the web host replaces the origin with the client's address.
        services.TryAddSingleton<IAuditOrigin, CommandAuditOrigin>();
        services.TryAddSingleton<AuditHealthCheck>();
        services.AddHealthChecks().AddCheck<AuditHealthCheck>("audit", HealthStatus.Degraded);
        return services.AddUpstream();
    }

    /// <summary>The embedded backend: folders of distributions (section <c>Storage</c>), rescanned in the background.</summary>
    public static IServiceCollection AddFolderStorage(this IServiceCollection services)
    {
        services.AddOptions<FolderStorageOptions>()
            .BindConfiguration(FolderStorageOptions.SectionName)
            .Validate(o => o.RescanInterval > TimeSpan.Zero, "Storage:RescanInterval must be positive.")
            .Validate(o => o.FullRescanInterval > TimeSpan.Zero, "Storage:FullRescanInterval must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton<FolderScanner>();
        services.TryAddSingleton<FolderRepository>();
        services.AddSingleton<IPackageRepository>(sp => sp.GetRequiredService<FolderRepository>());
        services.AddHostedService<FolderWatcher>();

        // Audit events go to the state directory, one file each, on disk before the change is acknowledged.
        return services.AddAuditLog(sp => new FolderBlobStore(sp.GetRequiredService<IOptions<FolderStorageOptions>>().Value.ResolvedStateDirectory(), flushToDisk: true));
    }

    /// <summary>
    /// <see cref="BucketRepository"/> as <see cref="IPackageRepository"/> over the registered <see cref="IBlobStore"/>,
    /// with reindex and the periodic sweep of unreferenced objects (section <c>Storage</c>).
    /// </summary>
    public static IServiceCollection AddBucketRepository(this IServiceCollection services)
    {
        services.AddOptions<OrphanSweepOptions>()
            .BindConfiguration(OrphanSweepOptions.SectionName)
            .Validate(o => o.OrphanGracePeriod > TimeSpan.Zero, "Storage:OrphanGracePeriod must be positive.")
            .Validate(o => o.OrphanSweepInterval > TimeSpan.Zero, "Storage:OrphanSweepInterval must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton<BucketFileLocations>();
        services.TryAddSingleton<OrphanSweep>();
        services.AddHostedService<OrphanSweepService>();
        services.TryAddSingleton<BucketRepository>();
        services.AddSingleton<IPackageRepository>(sp => sp.GetRequiredService<BucketRepository>());
        services.TryAddSingleton<ReindexService>();
        return services.AddAuditLog(sp => sp.GetRequiredService<IBlobStore>());
    }

    /// <summary>
    /// The audit trail over its storage, and the check of trusted-publisher changes against it (at start). With the
    /// storage, so that a composition without one (tests of the access rules) has no trail to half-build.
    /// </summary>
    private static IServiceCollection AddAuditLog(this IServiceCollection services, Func<IServiceProvider, IBlobStore> store)
    {
        services.TryAddSingleton(sp => new AuditLog(store(sp), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AuditLog>>()));
        services.TryAddSingleton<AuditTrail>();
        services.AddHostedService<TrustedPublishersAudit>();
        return services;
    }

    /// <summary>A bucket in process memory (<c>Storage:Type=Memory</c>: tests and demos).</summary>
    public static IServiceCollection AddMemoryBucket(this IServiceCollection services)
    {
        services.AddSingleton<IBlobStore, InMemoryBlobStore>();
        return services.AddBucketRepository();
    }

    /// <summary>
    /// The in-process page cache with pages that expire after <c>Cache:LocalPageTtl</c>: over a bucket shared with
    /// other nodes and no Redis, changes made elsewhere are never announced here.
    /// </summary>
    public static IServiceCollection AddExpiringPageCache(this IServiceCollection services)
    {
        services.AddSingleton<IPageCache>(sp => InProcessPageCache(sp, expiring: true));
        return services;
    }

    /// <summary>Pages in process memory within <c>Cache:LocalMaxBytes</c>, expiring after <c>Cache:LocalPageTtl</c> when asked.</summary>
    private static InMemoryPageCache InProcessPageCache(IServiceProvider services, bool expiring)
    {
        var options = services.GetRequiredService<IOptions<PageCacheOptions>>().Value;
        return new InMemoryPageCache(services.GetRequiredService<TimeProvider>(), expiring ? options.LocalPageTtl : null, options.LocalMaxBytes);
    }

    /// <summary>
    /// Where tokens and stored accounts live, under <c>auth/</c>: the bucket, or the folders' state directory; resolved
    /// when first used so the storage may be registered before or after this.
    /// </summary>
    private static IBlobStore AuthStore(IServiceProvider services) =>
        services.GetService<IBlobStore>() ?? new FolderBlobStore(services.GetRequiredService<IOptions<FolderStorageOptions>>().Value.ResolvedStateDirectory());

    /// <summary>Accounts beside the tokens; with <c>Auth:Accounts=store</c>, the passwords file (if any) is imported into them once.</summary>
    private static BlobAccountStore AccountStore(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<AuthOptions>>().Value;
        return new(
            AuthStore(services),
            BucketKeys.AuthPrefix,
            options.AccountsAreStored ? options.ResolvePasswordsFile() : null,
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<BlobAccountStore>>(),
            services.GetService<AuditTrail>());
    }

    private static BlobTokenStore TokenStore(IServiceProvider services) =>
        new(
            AuthStore(services),
            BucketKeys.AuthPrefix,
            services.GetRequiredService<IOptions<AuthOptions>>().Value.ResolveTokensFile(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<BlobTokenStore>>());

    // "Auth:Rights:bob" may be one grant as a string, besides the list form the binder reads.
    private static void ReadScalarRights(IConfigurationSection section, Dictionary<string, List<string>> rights)
    {
        foreach (var user in section.GetChildren().Where(c => c.Value is not null))
        {
            rights[user.Key] = [user.Value!];
        }
    }

    // "Auth:Authenticate" may be a string ("update,download") or, from JSON, an array of words.
    private static string? ReadList(IConfigurationSection section)
    {
        var items = section.GetChildren().Select(c => c.Value).OfType<string>().ToList();
        return items.Count > 0 ? string.Join(',', items) : null;
    }
}
