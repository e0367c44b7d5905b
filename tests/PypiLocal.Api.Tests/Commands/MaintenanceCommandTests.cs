using PypiLocal.Api.Tests.Support;
using PypiLocal.Testing;
using System.CommandLine;
using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PypiLocal.Core;
using PypiLocal.Api.Commands;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Catalog.Bucket;
using PypiLocal.Core.Storage;

namespace PypiLocal.Api.Tests.Commands;

/// <summary>The import and reindex commands over a bucket catalog in memory, as a user runs them.</summary>
public sealed class MaintenanceCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pypilocal-cli-").FullName;
    private readonly InMemoryBlobStore _store = new();
    private readonly ServiceProvider _bucket;

    public MaintenanceCommandTests()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton<IBlobStore>(_store);
        services.AddBucketRepository();
        services.AddPypiLocalCore();
        _bucket = services.BuildServiceProvider();
    }

    public void Dispose()
    {
        _bucket.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Import_loads_a_folder_and_a_second_run_skips_everything()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "sub"));
        await File.WriteAllBytesAsync(Path.Combine(_folder, "alpha-1.0-py3-none-any.whl"), DistributionBuilder.WheelBytes("alpha", "1.0"));
        await File.WriteAllBytesAsync(Path.Combine(_folder, "sub", "alpha-2.0-py3-none-any.whl"), DistributionBuilder.WheelBytes("alpha", "2.0"));
        var command = ImportCommand.Create(_ => _bucket);

        var first = await CommandRunner.RunAsync(command, "import", _folder);
        var second = await CommandRunner.RunAsync(command, "import", _folder);

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("2 added, 0 already there", first.Output, StringComparison.Ordinal);
        Assert.Contains("0 added, 2 already there", second.Output, StringComparison.Ordinal);
        var listing = await _bucket.GetRequiredService<IPackageRepository>().GetProjectAsync("alpha", default);
        Assert.Equal(["alpha-1.0-py3-none-any.whl", "alpha-2.0-py3-none-any.whl"], listing!.Files.Select(f => f.Filename));
    }

    [Fact]
    public async Task Import_of_a_missing_folder_says_so()
    {
        var result = await CommandRunner.RunAsync(ImportCommand.Create(_ => _bucket), "import", Path.Combine(_folder, "nope"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("There is no folder", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reindex_indexes_a_file_copied_into_the_bucket()
    {
        var wheel = DistributionBuilder.WheelBytes("gamma", "1.0");
        await _store.PutAsync(BucketKeys.File("gamma", "gamma-1.0-py3-none-any.whl"), new MemoryStream(wheel), wheel.Length, BlobWriteCondition.None, default);

        var result = await CommandRunner.RunAsync(ReindexCommand.Create(_ => _bucket), "reindex");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("1 entries added, 0 dropped", result.Output, StringComparison.Ordinal);
        Assert.NotNull(await _bucket.GetRequiredService<IPackageRepository>().GetProjectAsync("gamma", default));
    }

    [Fact]
    public async Task Reindex_without_bucket_storage_explains_itself()
    {
        using var none = new ServiceCollection().BuildServiceProvider();

        var result = await CommandRunner.RunAsync(ReindexCommand.Create(_ => none), "reindex");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("ConnectionStrings:storage", result.Error, StringComparison.Ordinal);
    }
}
