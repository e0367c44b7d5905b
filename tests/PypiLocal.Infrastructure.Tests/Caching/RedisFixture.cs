using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PypiLocal.Core;
using PypiLocal.Core.Caching;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Pages;
using PypiLocal.Core.Storage;
using PypiLocal.Core.Upstream;
using PypiLocal.Infrastructure.Caching;
using PypiLocal.Testing;

namespace PypiLocal.Infrastructure.Tests.Caching;

/// <summary>One real redis-server for a test class; each test isolates itself with its own key prefix.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>
    /// A "node": its own connection to the shared Redis, under the given key prefix. Timeouts are longer than the
    /// defaults because this machine is shared: a timeout is a legitimate miss, but it makes hit assertions flaky.
    /// </summary>
    internal static RedisPageCache Node(RedisServer server, string prefix, bool nearCache = true, double leaseSeconds = 1, TimeProvider? time = null) =>
        Node(server.ConnectionString, prefix, nearCache, leaseSeconds, time);

    internal static RedisPageCache Node(string connectionString, string prefix, bool nearCache = true, double leaseSeconds = 1, TimeProvider? time = null) => new(
        Options.Create(new RedisPageCacheOptions
        {
            ConnectionString = connectionString,
            KeyPrefix = prefix,
            NearCacheMaxBytes = nearCache ? 1 << 20 : 0,
            NearCacheLease = TimeSpan.FromSeconds(leaseSeconds),
            OperationTimeout = TimeSpan.FromSeconds(2),
        }),
        time ?? TimeProvider.System,
        NullLogger<RedisPageCache>.Instance);

    /// <summary>A node's page service over the shared catalog and its Redis cache, wired as the server wires it.</summary>
    internal static IndexPageService Pages(SharedCatalog catalog, RedisPageCache cache)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton<IPackageRepository>(catalog);
        services.AddSingleton<IPageCache>(cache);
        services.AddSingleton<IBlobStore>(new InMemoryBlobStore());
        services.AddPypiLocalCore();
        return services.BuildServiceProvider().GetRequiredService<IndexPageService>();
    }

    internal static string UniquePrefix() => $"test-{Guid.NewGuid():N}:";
}
