using PypiLocal.Api.Tests.Support;
using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PypiLocal.Api.Commands;
using PypiLocal.Core;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Catalog.Bucket;
using PypiLocal.Core.Storage;
using PypiLocal.Protocol.Filenames;

namespace PypiLocal.Api.Tests.Commands;

/// <summary>The token, remove, yank and unyank commands as a user runs them, over a bucket in memory.</summary>
public sealed class PublishingCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pypilocal-cli-publish-").FullName;
    private readonly ServiceProvider _bucket;

    public PublishingCommandTests()
    {
        // As in every host: options are bound from configuration (empty here).
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton<IBlobStore>(new InMemoryBlobStore());
        services.AddBucketRepository();
        services.AddPypiLocalCore();
        _bucket = services.BuildServiceProvider();
    }

    public void Dispose()
    {
        _bucket.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task SeedAsync(string filename, string version)
    {
        var staged = Path.Combine(_folder, filename);
        await File.WriteAllBytesAsync(staged, [1, 2, 3]);
        var file = new DistributionFile("demo", filename, version, DistributionKind.Sdist, 3, new FileDigests(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([1, 2, 3]))), DateTimeOffset.UtcNow);
        await _bucket.GetRequiredService<IPackageRepository>().AddAsync(new NewDistribution(file, staged, null), overwrite: false, CancellationToken.None);
    }

    private async Task<DistributionFile?> FileAsync(string filename) =>
        (await _bucket.GetRequiredService<IPackageRepository>().GetProjectAsync("demo", CancellationToken.None))?.Files.FirstOrDefault(f => f.Filename == filename);

    [Fact]
    public async Task Token_create_prints_the_secret_once_list_shows_it_and_revoke_removes_it()
    {
        string[] storage = ["--packages", Path.Combine(_folder, "packages"), $"--Storage:StateDirectory={Path.Combine(_folder, "state")}"];

        var created = await CommandRunner.RunAsync(TokenCommands.Create(), ["token", "create", "ci", "--project", "Demo_Pkg", "--right", "upload", .. storage]);
        var record = await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(Path.Combine(_folder, "state", "auth", "tokens"))));
        var listed = await CommandRunner.RunAsync(TokenCommands.Create(), ["token", "list", .. storage]);
        var revoked = await CommandRunner.RunAsync(TokenCommands.Create(), ["token", "revoke", "ci", .. storage]);
        var again = await CommandRunner.RunAsync(TokenCommands.Create(), ["token", "revoke", "ci", .. storage]);

        Assert.Equal(0, created.ExitCode);
        Assert.StartsWith("pypilocal-", created.Output.Trim(), StringComparison.Ordinal);
        Assert.Contains("(upload demo-pkg)", created.Error);
        Assert.DoesNotContain(created.Output.Trim(), record);
        Assert.Contains("ci  upload demo-pkg", listed.Output);
        Assert.Equal(0, revoked.ExitCode);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("No token 'ci'", again.Output);
    }

    [Fact]
    public async Task Token_create_refuses_an_unknown_right_with_the_words_it_takes() =>
        Assert.Contains("use read, upload, maintain or admin", (await CommandRunner.RunAsync(TokenCommands.Create(),
            "token", "create", "ci", "--right", "publish", "--packages", Path.Combine(_folder, "packages"), $"--Storage:StateDirectory={Path.Combine(_folder, "state")}")).Error);

    [Fact]
    public async Task Yank_unyank_and_remove_act_on_the_storage()
    {
        await SeedAsync("demo-1.0.tar.gz", "1.0");
        await SeedAsync("demo-2.0.tar.gz", "2.0");

        var yank = await CommandRunner.RunAsync(PackageCommands.CreateYank(_ => _bucket), "yank", "Demo", "1.0.0", "--reason", "broken build");
        var yanked = await FileAsync("demo-1.0.tar.gz");
        var unyank = await CommandRunner.RunAsync(PackageCommands.CreateUnyank(_ => _bucket), "unyank", "demo", "--file", "demo-1.0.tar.gz");
        var unyanked = await FileAsync("demo-1.0.tar.gz");
        var remove = await CommandRunner.RunAsync(PackageCommands.CreateRemove(_ => _bucket), "remove", "demo", "2.0");
        var missing = await CommandRunner.RunAsync(PackageCommands.CreateRemove(_ => _bucket), "remove", "demo", "2.0");

        Assert.Equal(0, yank.ExitCode);
        Assert.Equal("broken build", yanked!.YankedReason);
        Assert.Equal(0, unyank.ExitCode);
        Assert.False(unyanked!.Yanked);
        Assert.Equal(0, remove.ExitCode);
        Assert.Null(await FileAsync("demo-2.0.tar.gz"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("demo (2.0) not found.", missing.Error);
    }

    [Theory]
    [InlineData("remove", "demo")]
    [InlineData("remove", "demo", "1.0", "--file", "demo-1.0.tar.gz")]
    public async Task Remove_needs_either_a_version_or_a_file(params string[] args)
    {
        var result = await CommandRunner.RunAsync(PackageCommands.CreateRemove(_ => _bucket), args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Give either a VERSION or --file", result.Error);
    }
}
