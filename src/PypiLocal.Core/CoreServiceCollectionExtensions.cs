using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PypiLocal.Core.Caching;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Folder;
using PypiLocal.Core.Pages;

namespace PypiLocal.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>What every mode needs: time, the page service, and the in-process page cache unless another is registered.</summary>
    public static IServiceCollection AddPypiLocalCore(this IServiceCollection services)
    {
        services.TryAddSingleton<Projects.ProjectStatuses>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IPageCache, InMemoryPageCache>();
        services.TryAddSingleton<IndexPageService>();
        services.TryAddSingleton<JsonApi.JsonApiService>();
        return services;
    }

    /// <summary>Operator settings per project (section <c>Projects</c>): PEP 792 statuses, validated at start.</summary>
    public static IServiceCollection AddProjectSettings(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<Projects.ProjectStatusOptions>()
            .Configure(options => configuration.GetSection(Projects.ProjectStatusOptions.SectionName).Bind(options.Projects))
            .Validate(options => !Projects.ProjectStatuses.Validate(options).Any(), "Invalid Projects settings: each Projects:<name>:Status must be active, archived, quarantined or deprecated, for a valid project name.")
            .ValidateOnStart();
        return services;
    }

    /// <summary>The embedded backend: folders of distributions (section <c>Storage</c>), rescanned in the background.</summary>
    public static IServiceCollection AddFolderStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FolderStorageOptions>()
            .Bind(configuration.GetSection(FolderStorageOptions.SectionName))
            .Validate(o => o.RescanInterval > TimeSpan.Zero, "Storage:RescanInterval must be positive.")
            .Validate(o => o.FullRescanInterval > TimeSpan.Zero, "Storage:FullRescanInterval must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton<FolderScanner>();
        services.TryAddSingleton<FolderRepository>();
        services.TryAddSingleton<IPackageRepository>(sp => sp.GetRequiredService<FolderRepository>());
        services.AddHostedService<FolderWatcher>();
        return services;
    }
}
