using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PypiLocal.Core;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Catalog.Bucket;
using PypiLocal.Core.Maintenance;
using PypiLocal.Core.Storage;
using PypiLocal.Infrastructure.Storage;

namespace PypiLocal.Infrastructure.Tests.Storage;

public sealed class S3StorageRegistrationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddPypiLocalCore();
        services.AddS3Storage(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Without_a_connection_string_nothing_is_registered()
    {
        using var provider = Build([]);

        Assert.Null(provider.GetService<IPackageRepository>());
        Assert.Null(provider.GetService<IBlobStore>());
    }

    [Fact]
    public void An_Aspire_connection_string_picks_the_bucket_repository_on_S3()
    {
        using var provider = Build(new()
        {
            ["ConnectionStrings:storage"] = "Endpoint=http://minio:9000;AccessKey=ak;SecretKey=s/k=",
            ["Storage:S3:Bucket"] = "packages",
            ["Storage:S3:PublicEndpoint"] = "https://files.example.test",
            ["Storage:S3:DownloadMode"] = "Proxy",
            ["Storage:S3:PresignWindow"] = "00:30:00",
        });

        var options = provider.GetRequiredService<IOptions<S3StorageOptions>>().Value;
        Assert.IsType<BucketRepository>(provider.GetRequiredService<IPackageRepository>());
        Assert.IsType<S3BlobStore>(provider.GetRequiredService<IBlobStore>());
        Assert.NotNull(provider.GetService<ImportService>());
        Assert.NotNull(provider.GetService<ReindexService>());
        Assert.Equal(
            (new Uri("http://minio:9000"), "ak", "s/k=", "packages", new Uri("https://files.example.test"), S3DownloadMode.Proxy, TimeSpan.FromMinutes(30), "us-east-1", true, true),
            (options.Endpoint, options.AccessKey, options.SecretKey, options.Bucket, options.PublicEndpoint, options.DownloadMode, options.PresignWindow, options.Region, options.ForcePathStyle, options.CreateBucket));
    }

    [Fact]
    public void A_bare_uri_with_credentials_is_accepted()
    {
        using var provider = Build(new() { ["ConnectionStrings:storage"] = "http://ak:sk@127.0.0.1:9000" });

        var options = provider.GetRequiredService<IOptions<S3StorageOptions>>().Value;

        Assert.Equal((new Uri("http://127.0.0.1:9000"), "ak", "sk"), (options.Endpoint, options.AccessKey, options.SecretKey));
    }

    [Fact]
    public void Invalid_settings_fail_validation_naming_the_key()
    {
        using var provider = Build(new()
        {
            ["ConnectionStrings:storage"] = "Endpoint=http://minio:9000",
            ["Storage:S3:Bucket"] = "Not_A_Bucket",
            ["Storage:S3:PresignWindow"] = "5.00:00:00",
        });

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<S3StorageOptions>>().Value);

        Assert.Contains(e.Failures, f => f.Contains("AccessKey", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.Contains("Storage:S3:PresignWindow", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.Contains("Storage:S3:Bucket", StringComparison.Ordinal));
    }
}
