using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Publishing;

/// <summary>Real twine against the real server, then real pip in a fresh venv (issue 3, point 4).</summary>
public abstract class TwineUploadTests(PublishingServer server)
{
    private string Build(string folder) => Directory.CreateDirectory(Path.Combine(server.Dist, folder)).FullName;

    [Fact]
    public async Task Twine_uploads_a_wheel_and_an_sdist_and_pip_installs_both()
    {
        var dist = Build("twdemo");
        var wheel = DistributionBuilder.Wheel(dist, "tw-demo", "1.0");
        var sdist = DistributionBuilder.Sdist(dist, "tw-demo", "1.0");

        var upload = await server.TwineAsync(PublishingServer.User, PublishingServer.Password, wheel, sdist);

        upload.EnsureSuccess("twine upload");
        Assert.Equal(["tw_demo-1.0-py3-none-any.whl", "tw_demo-1.0.tar.gz"], (await server.ListedFilesAsync("tw-demo")).Keys.Order());
        using var python = await PythonEnvironment.CreateAsync();
        (await python.InstallAsync(server.Server.IndexUrl, "tw-demo")).EnsureSuccess("pip install tw-demo (wheel)");
        Assert.Equal("1.0", await python.RunAsync("import tw_demo; print(tw_demo.VERSION)"));

        // Building the sdist needs setuptools and wheel without PyPI: a venv over Debian's python3 with its site packages.
        using var debian = new TempFolder("pypilocal-debian-venv");
        var python3 = PublishingServer.Require("/usr/bin/python3", "python3-venv");
        (await ProcessRunner.RunAsync(python3, ["-m", "venv", "--system-site-packages", debian.Path])).EnsureSuccess("python3 -m venv --system-site-packages");
        var fromSdist = await ProcessRunner.RunAsync(
            Path.Combine(debian.Path, "bin", "python"),
            ["-m", "pip", "install", "--no-input", "--no-cache-dir", "--no-deps", "--no-build-isolation", "--no-binary", "tw-demo", "--index-url", server.Server.IndexUrl, "tw-demo"],
            server.ClientEnvironment(),
            TimeSpan.FromMinutes(3));
        fromSdist.EnsureSuccess("pip install tw-demo from the sdist");
        Assert.Contains("tw_demo-1.0.tar.gz", PublishingServer.Flat(fromSdist));
    }

    [Fact]
    public async Task What_python_build_makes_uploads_as_is_and_installs()
    {
        // Debian's setuptools 66 writes un-normalized names (Real.Demo-1.0.0.tar.gz): a private index takes them.
        var project = Build("real-project");
        Directory.CreateDirectory(Path.Combine(project, "src", "real_demo"));
        await File.WriteAllTextAsync(Path.Combine(project, "src", "real_demo", "__init__.py"), "VERSION = \"1.0.0\"\n");
        await File.WriteAllTextAsync(Path.Combine(project, "pyproject.toml"),
            "[build-system]\nrequires = [\"setuptools>=61\"]\nbuild-backend = \"setuptools.build_meta\"\n\n" +
            "[project]\nname = \"Real.Demo\"\nversion = \"1.0.0\"\ndescription = \"A real build\"\nrequires-python = \">=3.8\"\n");
        (await ProcessRunner.RunAsync(PublishingServer.Require("/usr/bin/python3", "python3-build"), ["-m", "build", "--no-isolation"], server.ClientEnvironment(), TimeSpan.FromMinutes(3), project))
            .EnsureSuccess("python3 -m build");
        var built = Directory.GetFiles(Path.Combine(project, "dist"));

        (await server.TwineAsync(PublishingServer.User, PublishingServer.Password, built)).EnsureSuccess("twine upload of the built files");

        Assert.Equal(built.Select(Path.GetFileName).Order(), (await server.ListedFilesAsync("real-demo")).Keys.Order());
        using var python = await PythonEnvironment.CreateAsync();
        (await python.InstallAsync(server.Server.IndexUrl, "real-demo")).EnsureSuccess("pip install real-demo");
        Assert.Equal("1.0.0", await python.RunAsync("import real_demo; print(real_demo.VERSION)"));
    }

    [Fact]
    public async Task A_wrong_password_makes_twine_fail_with_the_servers_reason()
    {
        var wheel = DistributionBuilder.Wheel(Build("wrongpw"), "wrong-pw", "1.0");

        var upload = await server.TwineAsync(PublishingServer.User, "not-the-password", wheel);

        Assert.NotEqual(0, upload.ExitCode);
        Assert.Contains("403", PublishingServer.Flat(upload));
        Assert.Contains("Invalid or non-existent authentication information", PublishingServer.Flat(upload));
        Assert.Empty(await server.ListedFilesAsync("wrong-pw"));
    }

    [Fact]
    public async Task A_second_upload_of_the_same_name_is_reported_as_existing()
    {
        var dist = Build("dupe");
        var wheel = DistributionBuilder.Wheel(dist, "dupe-demo", "1.0");
        (await server.TwineAsync(PublishingServer.User, PublishingServer.Password, wheel)).EnsureSuccess("first upload");
        var identical = await server.TwineAsync(PublishingServer.User, PublishingServer.Password, wheel);
        File.Delete(wheel);
        DistributionBuilder.Wheel(dist, "dupe-demo", "1.0", paddingBytes: 100);

        var conflict = await server.TwineAsync(PublishingServer.User, PublishingServer.Password, wheel);
        var skipped = await ProcessRunner.RunAsync(
            "/usr/bin/twine",
            ["upload", "--non-interactive", "--disable-progress-bar", "--skip-existing", "--repository-url", server.UploadUrl, "-u", PublishingServer.User, "-p", PublishingServer.Password, wheel],
            server.ClientEnvironment());

        Assert.Equal(0, identical.ExitCode);
        Assert.NotEqual(0, conflict.ExitCode);
        Assert.Contains("409", PublishingServer.Flat(conflict));
        Assert.Contains("File already exists", PublishingServer.Flat(conflict));
        Assert.Equal(0, skipped.ExitCode);
        Assert.Contains("appears to already exist", PublishingServer.Flat(skipped));
        Assert.Single(await server.ListedFilesAsync("dupe-demo"));
    }

    [Fact]
    public async Task A_token_upload_works_and_a_token_for_another_project_is_refused()
    {
        var dist = Build("tokens");
        var wheel = DistributionBuilder.Wheel(dist, "token-demo", "1.0");
        var scoped = await server.CreateTokenAsync("Token_Demo");
        var other = await server.CreateTokenAsync("something-else");

        var refused = await server.TwineAsync("__token__", other, wheel);
        var accepted = await server.TwineAsync("__token__", scoped, wheel);

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("Token 'ci' may not upload to project 'token-demo'", PublishingServer.Flat(refused));
        accepted.EnsureSuccess("twine upload with a token");
        Assert.Single(await server.ListedFilesAsync("token-demo"));
    }
}

/// <summary>Over a folder, the embedded default.</summary>
public sealed class FolderTwineUploadTests(PublishingServer server) : TwineUploadTests(server), IClassFixture<PublishingServer>;

/// <summary>Over an S3 bucket.</summary>
public sealed class S3TwineUploadTests(S3PublishingServer server) : TwineUploadTests(server), IClassFixture<S3PublishingServer>;
