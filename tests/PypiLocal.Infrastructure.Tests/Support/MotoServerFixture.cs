using Microsoft.Extensions.DependencyInjection;
using PypiLocal.Infrastructure.Storage;
using PypiLocal.Testing;

namespace PypiLocal.Infrastructure.Tests.Support;

/// <summary>
/// A real <c>moto_server</c> process on a free loopback port, shared by the S3 tests, checking every request's
/// SigV4 signature. A missing moto_server fails the tests (it is preinstalled on every machine here, CI
/// included), never skips them.
/// </summary>
public sealed class MotoServerFixture : IAsyncLifetime
{
    private readonly System.Collections.Concurrent.ConcurrentBag<ServiceProvider> _providers = [];
    private MotoServer? _server;

    public Uri Endpoint => _server!.Endpoint;

    public MotoServer Server => _server!;

    public async Task InitializeAsync() => _server = await MotoServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>Options for a fresh bucket of its own, created on first use.</summary>
    public S3StorageOptions Options(Action<S3StorageOptions>? configure = null)
    {
        var options = new S3StorageOptions
        {
            Endpoint = Endpoint,
            AccessKey = _server!.AccessKey,
            SecretKey = _server.SecretKey,
            Bucket = $"t-{Guid.NewGuid():N}",
        };
        configure?.Invoke(options);
        return options;
    }

    public S3BlobStore CreateStore(Action<S3StorageOptions>? configure = null, TimeProvider? time = null) =>
        CreateStore(Options(configure), time);

    /// <summary>
    /// A store built as the server builds it (its HTTP client with the S3 resilience handler), optionally over
    /// <paramref name="handler"/> in place of the socket handler (tests count requests with it).
    /// </summary>
    public S3BlobStore CreateStore(S3StorageOptions options, TimeProvider? time = null, HttpMessageHandler? handler = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddS3BlobStore();
        if (handler is not null)
        {
            services.AddHttpClient(S3Resilience.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => handler);
        }

        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider.GetRequiredService<S3BlobStore>();
    }

    public static int FreePort() => Testing.FreePort.Next();
}
