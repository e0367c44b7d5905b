using System.Security.Cryptography;
using PypiLocal.Api.Commands;
using PypiLocal.Api.Tests.Support;
using PypiLocal.Core.Folder;
using PypiLocal.Testing;

namespace PypiLocal.Api.Tests.Upstream;

/// <summary>A real PypiLocal upstream for the command tests, started once.</summary>
public sealed class CommandUpstreamFixture : IAsyncLifetime
{
    private readonly TempFolder _root = new("pypilocal-cmd-upstream");

    public PypiLocalServer Server { get; private set; } = null!;

    public string Folder => _root.Path;

    public async Task InitializeAsync()
    {
        DistributionBuilder.Wheel(_root.Path, "pf-app", "0.9");
        DistributionBuilder.Wheel(_root.Path, "pf-app", "1.0", requiresDist: ["pf-dep>=1", "pf-extra; extra == \"more\""]);
        DistributionBuilder.Wheel(_root.Path, "pf-dep", "1.0");
        DistributionBuilder.Wheel(_root.Path, "pf-dep", "2.0");
        DistributionBuilder.Wheel(_root.Path, "pf-extra", "1.0");
        DistributionBuilder.Wheel(_root.Path, "upd-lib", "1.0");
        DistributionBuilder.Wheel(_root.Path, "upd-lib", "2.0");
        DistributionBuilder.Wheel(_root.Path, "upd-lib", "3.0b1");
        DistributionBuilder.Wheel(_root.Path, "upd-other", "5.0");
        Server = await PypiLocalServer.ServeAsync(_root.Path);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _root.Dispose();
    }
}

/// <summary><c>pypilocal cache list|purge|prefetch</c> and <c>pypilocal update</c>, in process, against a real upstream.</summary>
public sealed class UpstreamCommandTests(CommandUpstreamFixture upstream) : IClassFixture<CommandUpstreamFixture>, IDisposable
{
    private readonly TempFolder _packages = new("pypilocal-cmd-packages");

    public void Dispose()
    {
        _packages.Dispose();
        if (Directory.Exists(StateDirectory))
        {
            Directory.Delete(StateDirectory, recursive: true);
        }
    }

    // The commands keep the upstream cache in the package folders' state directory, outside the folders.
    private string StateDirectory => new FolderStorageOptions { Folders = [_packages.Path] }.ResolvedStateDirectory();

    private string CacheDirectory => Path.Combine(StateDirectory, "upstream");

    [Fact]
    public async Task Prefetch_fetches_the_newest_allowed_releases_and_their_dependencies_then_list_shows_them_and_purge_removes_one()
    {
        var requirements = Path.Combine(_packages.Path, "requirements.txt");
        await File.WriteAllTextAsync(requirements, "pf-app>=1  # the app\n");

        var prefetch = await CommandRunner.RunAsync(CacheCommands.Create(), "cache", "prefetch", "-r", requirements, "--upstream", upstream.Server.IndexUrl, "--packages", _packages.Path);

        Assert.Equal(0, prefetch.ExitCode);
        Assert.Contains("2 releases: 4 files fetched, 0 already cached, 0 failed", prefetch.Output, StringComparison.Ordinal);
        Assert.Equal(
            ["pf_app-1.0-py3-none-any.whl", "pf_app-1.0-py3-none-any.whl.metadata"],
            Directory.GetFiles(Path.Combine(CacheDirectory, "files", "pf-app")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.True(File.Exists(Path.Combine(CacheDirectory, "files", "pf-dep", "pf_dep-2.0-py3-none-any.whl")));
        Assert.False(Directory.Exists(Path.Combine(CacheDirectory, "files", "pf-extra")), "an extra nobody asked for is not fetched");

        var list = await CommandRunner.RunAsync(CacheCommands.Create(), "cache", "list", "--packages", _packages.Path);
        Assert.Contains("2 projects, 2 files cached", list.Output, StringComparison.Ordinal);
        var files = await CommandRunner.RunAsync(CacheCommands.Create(), "cache", "list", "pf-dep", "--packages", _packages.Path);
        Assert.Contains("pf_dep-2.0-py3-none-any.whl  cached", files.Output, StringComparison.Ordinal);
        Assert.Contains("pf_dep-1.0-py3-none-any.whl  not cached", files.Output, StringComparison.Ordinal);

        var purge = await CommandRunner.RunAsync(CacheCommands.Create(), "cache", "purge", "PF_App", "--packages", _packages.Path);
        Assert.Equal(0, purge.ExitCode);
        Assert.Contains("Purged pf-app from the upstream cache (3 objects)", purge.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(CacheDirectory, "files", "pf-app")) && Directory.GetFiles(Path.Combine(CacheDirectory, "files", "pf-app")).Length > 0);
        var again = await CommandRunner.RunAsync(CacheCommands.Create(), "cache", "prefetch", "pf-app[more]==1.0", "--upstream", upstream.Server.IndexUrl, "--packages", _packages.Path);
        Assert.Contains("3 releases: 4 files fetched, 2 already cached", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prefetch_without_an_upstream_says_how_to_give_one()
    {
        var result = await CommandRunner.RunAsync(CacheCommands.Create(), "cache", "prefetch", "anything", "--packages", _packages.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--upstream URL", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_lists_newer_final_releases_with_the_command_and_downloads_them_with_x()
    {
        File.Copy(Path.Combine(upstream.Folder, "upd_lib-1.0-py3-none-any.whl"), Path.Combine(_packages.Path, "upd_lib-1.0-py3-none-any.whl"));
        DistributionBuilder.Wheel(_packages.Path, "local-only", "1.0");
        var ignore = Path.Combine(_packages.Path, "ignore.txt");
        await File.WriteAllTextAsync(ignore, "# never\nlocal_only\n");

        var listed = await CommandRunner.RunAsync(UpdateCommand.Create(), "update", _packages.Path, "-i", upstream.Server.IndexUrl);
        var unstable = await CommandRunner.RunAsync(UpdateCommand.Create(), "update", _packages.Path, "-i", upstream.Server.IndexUrl, "-u", "--ignorelist-file", ignore);
        var executed = await CommandRunner.RunAsync(UpdateCommand.Create(), "update", _packages.Path, "-i", upstream.Server.IndexUrl, "-x");

        Assert.Equal(0, listed.ExitCode);
        Assert.Contains("checking 2 packages for newer version", listed.Output, StringComparison.Ordinal);
        Assert.Contains("no releases found on upstream for local-only", listed.Output, StringComparison.Ordinal);
        Assert.Contains("# update upd-lib from 1.0 to 2.0", listed.Output, StringComparison.Ordinal);
        Assert.Contains($"pip -q download --no-deps -i {upstream.Server.IndexUrl} -d {_packages.Path} upd-lib==2.0", listed.Output, StringComparison.Ordinal);
        Assert.Contains("checking 1 packages", unstable.Output, StringComparison.Ordinal);
        Assert.Contains("# update upd-lib from 1.0 to 3.0b1", unstable.Output, StringComparison.Ordinal);
        Assert.Equal(0, executed.ExitCode);
        var downloaded = Path.Combine(_packages.Path, "upd_lib-2.0-py3-none-any.whl");
        Assert.Contains($"downloaded {downloaded}", executed.Output, StringComparison.Ordinal);
        Assert.Equal(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(upstream.Folder, "upd_lib-2.0-py3-none-any.whl"))), SHA256.HashData(await File.ReadAllBytesAsync(downloaded)));
    }
}
