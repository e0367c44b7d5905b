using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Publishing;

/// <summary>Yanked releases are skipped unless pinned (PEP 592); removed releases are gone for pip.</summary>
public abstract class YankAndRemoveTests(PublishingServer server)
{
    [Fact]
    public async Task A_yanked_version_is_skipped_by_pip_unless_pinned_and_a_removed_one_is_gone()
    {
        var dist = Directory.CreateDirectory(Path.Combine(server.Dist, "yank")).FullName;
        var one = DistributionBuilder.Wheel(dist, "yank-demo", "1.0");
        var two = DistributionBuilder.Wheel(dist, "yank-demo", "2.0");
        (await server.TwineAsync(PublishingServer.User, PublishingServer.Password, one, two)).EnsureSuccess("twine upload");

        // Through the running server, as an embedded server needs: its caches see the change at once.
        (await server.CliAsync("yank", "yank-demo", "2.0", "--reason", "broken build", "--url", server.Server.BaseUrl, "-u", PublishingServer.User, "-p", PublishingServer.Password))
            .EnsureSuccess("pypilocal yank --url");

        Assert.Equal("broken build", (await server.ListedFilesAsync("yank-demo"))["yank_demo-2.0-py3-none-any.whl"].GetString());
        using var python = await PythonEnvironment.CreateAsync();
        var unpinned = await python.InstallAsync(server.Server.IndexUrl, "yank-demo");
        unpinned.EnsureSuccess("pip install yank-demo");
        Assert.Contains("Successfully installed yank-demo-1.0", unpinned.StandardOutput);
        var pinned = await python.InstallAsync(server.Server.IndexUrl, "yank-demo==2.0");
        pinned.EnsureSuccess("pip install yank-demo==2.0");
        Assert.Contains("Successfully installed yank-demo-2.0", pinned.StandardOutput);
        Assert.Contains("broken build", pinned.Output);

        var remove = await server.CliAsync("remove", "yank-demo", "2.0", "--packages", server.Packages);
        remove.EnsureSuccess("pypilocal remove");
        Assert.True(await Eventually.TrueAsync(
            async () => !(await server.ListedFilesAsync("yank-demo")).ContainsKey("yank_demo-2.0-py3-none-any.whl"), TimeSpan.FromSeconds(10)));
        var gone = await python.PipAsync("download", "--no-deps", "--index-url", server.Server.IndexUrl, "--dest", dist, "yank-demo==2.0");
        Assert.NotEqual(0, gone.ExitCode);
        Assert.Contains("No matching distribution found for yank-demo==2.0", gone.Output);
    }

    [Fact]
    public async Task Pypiserver_remove_pkg_over_http_removes_a_release()
    {
        var wheel = DistributionBuilder.Wheel(Directory.CreateDirectory(Path.Combine(server.Dist, "removepkg")).FullName, "remove-demo", "1.0");
        (await server.TwineAsync(PublishingServer.User, PublishingServer.Password, wheel)).EnsureSuccess("twine upload");
        using var admin = server.AdminClient();
        using var form = new MultipartFormDataContent { { new StringContent("remove_pkg"), ":action" }, { new StringContent("remove-demo"), "name" }, { new StringContent("1.0"), "version" } };

        using var response = await admin.PostAsync("/", form);

        response.EnsureSuccessStatusCode();
        Assert.Empty(await server.ListedFilesAsync("remove-demo"));
        Assert.DoesNotContain(Path.GetFileName(wheel), await server.StoredNamesAsync());
    }
}

/// <summary>Over a folder, the embedded default.</summary>
public sealed class FolderYankAndRemoveTests(PublishingServer server) : YankAndRemoveTests(server), IClassFixture<PublishingServer>;

/// <summary>Over an S3 bucket.</summary>
public sealed class S3YankAndRemoveTests(S3PublishingServer server) : YankAndRemoveTests(server), IClassFixture<S3PublishingServer>;
