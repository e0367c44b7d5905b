using PypiLocal.Core;
using PypiLocal.Infrastructure.Caching;

namespace PypiLocal.Api.Hosting;

/// <summary>The composition root: picks the storage and cache backends from configuration.</summary>
internal static class ApiServiceCollectionExtensions
{
    public static IServiceCollection AddPypiLocal(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddProblemDetails();
        services.AddFolderStorage(configuration);
        services.AddRedisPageCache(configuration); // before AddPypiLocalCore, which falls back to the in-memory cache
        services.AddPypiLocalCore();
        return services;
    }
}
