using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PypiLocal.Infrastructure.Storage;
using PypiLocal.Testing;

namespace PypiLocal.Infrastructure.Tests.Support;

/// <summary>
/// A real <c>moto_server</c> process on a free loopback port, shared by the S3 tests. A missing moto_server
/// fails the tests (it is preinstalled on every machine here, CI included), never skips them.
/// </summary>
public sealed class MotoServerFixture : IAsyncLifetime
{
    private MotoServer? _server;

    public Uri Endpoint => _server!.Endpoint;

    public async Task InitializeAsync() => _server = await MotoServer.StartAsync();

    public async Task DisposeAsync()
    {
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
            AccessKey = "test-access",
            SecretKey = "test-secret",
            Bucket = $"t-{Guid.NewGuid():N}",
        };
        configure?.Invoke(options);
        return options;
    }

    public S3BlobStore CreateStore(Action<S3StorageOptions>? configure = null, TimeProvider? time = null) =>
        CreateStore(Options(configure), time);

    public static S3BlobStore CreateStore(S3StorageOptions options, TimeProvider? time = null) =>
        new(Microsoft.Extensions.Options.Options.Create(options), time ?? TimeProvider.System, NullLogger<S3BlobStore>.Instance);

    public static int FreePort() => Testing.FreePort.Next();
}
