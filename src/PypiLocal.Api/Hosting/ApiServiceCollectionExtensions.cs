using PypiLocal.Core;

namespace PypiLocal.Api.Hosting;

/// <summary>The composition root: picks the storage and cache backends from configuration.</summary>
internal static class ApiServiceCollectionExtensions
{
    public static IServiceCollection AddPypiLocal(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddProblemDetails();
        services.AddFolderStorage(configuration);
        services.AddPypiLocalCore();
        return services;
    }
}
