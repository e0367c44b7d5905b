using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PypiLocal.Core.Caching;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Pages;
using PypiLocal.Core.Storage;
using PypiLocal.Core.Upstream;

namespace PypiLocal.Core.Tests.Support;

/// <summary>The page and download services wired as the server wires them, over a test repository and settings.</summary>
internal static class PageServices
{
    public static ServiceProvider Build(
        IPackageRepository repository,
        IPageCache? cache = null,
        IDictionary<string, string?>? settings = null,
        TimeProvider? time = null,
        IBlobStore? upstreamStore = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddSingleton(repository);
        if (cache is not null)
        {
            services.AddSingleton(cache);
        }

        // The upstream cache in memory, as in a bucket.
        services.AddSingleton(upstreamStore ?? new InMemoryBlobStore(time));
        services.AddPypiLocalCore();
        return services.BuildServiceProvider();
    }

    public static IndexPageService IndexPages(IPackageRepository repository, IPageCache cache) =>
        Build(repository, cache).GetRequiredService<IndexPageService>();
}
