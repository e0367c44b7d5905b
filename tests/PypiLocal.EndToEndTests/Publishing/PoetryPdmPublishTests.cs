using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Publishing;

/// <summary>Debian's poetry and pdm publish to the same server; pip installs what they published.</summary>
public abstract class PoetryPdmPublishTests(PublishingServer server)
{
    [Fact]
    public async Task Poetry_publish_uploads_the_built_wheel()
    {
        var project = Directory.CreateDirectory(Path.Combine(server.Dist, "poetry-project")).FullName;
        await File.WriteAllTextAsync(Path.Combine(project, "pyproject.toml"),
            "[tool.poetry]\nname = \"poetry-demo\"\nversion = \"1.0\"\ndescription = \"x\"\nauthors = [\"A <a@example.com>\"]\n\n" +
            "[tool.poetry.dependencies]\npython = \">=3.7\"\n\n[build-system]\nrequires = [\"poetry-core\"]\nbuild-backend = \"poetry.core.masonry.api\"\n");
        DistributionBuilder.Wheel(Directory.CreateDirectory(Path.Combine(project, "dist")).FullName, "poetry-demo", "1.0");
        var environment = server.ClientEnvironment();
        environment["POETRY_REPOSITORIES_LOCAL_URL"] = server.UploadUrl;

        var publish = await ProcessRunner.RunAsync(
            PublishingServer.Require("/usr/bin/python3", "python3"),
            ["-m", "poetry", "publish", "--no-interaction", "-r", "local", "-u", PublishingServer.User, "-p", PublishingServer.Password],
            environment,
            TimeSpan.FromMinutes(2),
            project);

        publish.EnsureSuccess("poetry publish");
        using var python = await PythonEnvironment.CreateAsync();
        (await python.InstallAsync(server.Server.IndexUrl, "poetry-demo")).EnsureSuccess("pip install poetry-demo");
        Assert.Equal("1.0", await python.RunAsync("import poetry_demo; print(poetry_demo.VERSION)"));
    }

    [Fact]
    public async Task Pdm_publish_uploads_the_built_wheel_and_shows_a_refusal()
    {
        var project = Directory.CreateDirectory(Path.Combine(server.Dist, "pdm-project")).FullName;
        await File.WriteAllTextAsync(Path.Combine(project, "pyproject.toml"), "[project]\nname = \"pdm-demo\"\nversion = \"1.0\"\nrequires-python = \">=3.7\"\n");
        DistributionBuilder.Wheel(Directory.CreateDirectory(Path.Combine(project, "dist")).FullName, "pdm-demo", "1.0");

        Task<ProcessResult> PublishAsync(string password) => ProcessRunner.RunAsync(
            PublishingServer.Require("/usr/bin/python3", "python3"),
            ["-m", "pdm", "publish", "--no-build", "-r", server.UploadUrl, "-u", PublishingServer.User, "-P", password],
            server.ClientEnvironment(),
            TimeSpan.FromMinutes(2),
            project);

        var refused = await PublishAsync("wrong");
        var published = await PublishAsync(PublishingServer.Password);

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("Invalid or non-existent authentication information", PublishingServer.Flat(refused));
        published.EnsureSuccess("pdm publish");
        Assert.Equal(["pdm_demo-1.0-py3-none-any.whl"], (await server.ListedFilesAsync("pdm-demo")).Keys);
    }
}

/// <summary>Over a folder, the embedded default.</summary>
public sealed class FolderPoetryPdmPublishTests(PublishingServer server) : PoetryPdmPublishTests(server), IClassFixture<PublishingServer>;

/// <summary>Over an S3 bucket.</summary>
public sealed class S3PoetryPdmPublishTests(S3PublishingServer server) : PoetryPdmPublishTests(server), IClassFixture<S3PublishingServer>;
