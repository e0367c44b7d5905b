using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using PypiLocal.EndToEndTests.Support;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Foundation;

/// <summary>
/// The index the cases read, as a user runs it: a three-package dependency chain (alpha → beta → gamma) over a folder
/// (the embedded default, `pypilocal serve FOLDER`) or over an S3 bucket filled with `pypilocal import`; started once
/// per class.
/// </summary>
public abstract class PipIndexFixture(string backend) : IAsyncLifetime
{
    private IndexBackend _index = null!;

    /// <summary>The folder this index was filled from.</summary>
    public TempFolder Packages { get; } = new("pypilocal-packages");

    public PypiLocalServer Server => _index.Server;

    public async Task InitializeAsync()
    {
        DistributionBuilder.Wheel(Packages.Path, "alpha", "1.0", requiresDist: ["beta>=1.0"], requiresPython: ">=3.8");
        DistributionBuilder.Wheel(Packages.Path, "beta", "1.0", requiresDist: ["gamma"]);
        DistributionBuilder.Wheel(Packages.Path, "gamma", "2.0");
        DistributionBuilder.Wheel(Packages.Path, "gamma", "1.0");
        _index = await IndexBackend.StartAsync(backend, Packages.Path);
    }

    public async Task DisposeAsync()
    {
        await _index.DisposeAsync();
        Packages.Dispose();
    }
}

public sealed class FolderPipIndex() : PipIndexFixture("folder");

public sealed class S3PipIndex() : PipIndexFixture("s3");

/// <summary>Real pip, in a fresh venv for each case, against the class's index.</summary>
public abstract class PipInstallTests(PipIndexFixture index) : IAsyncLifetime
{
    private PythonEnvironment _python = null!;

    private PypiLocalServer _server => index.Server;

    public async Task InitializeAsync() => _python = await PythonEnvironment.CreateAsync();

    public Task DisposeAsync()
    {
        _python.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Pip_installs_a_dependency_chain_from_the_index_and_the_modules_import()
    {
        var install = await _python.InstallAsync(_server.IndexUrl, "alpha");

        install.EnsureSuccess("pip install alpha");
        Assert.Contains("Successfully installed alpha-1.0 beta-1.0 gamma-2.0", install.StandardOutput);
        Assert.Equal("1.0 1.0 2.0", await _python.RunAsync("import alpha, beta, gamma; print(alpha.VERSION, beta.VERSION, gamma.VERSION)"));
    }

    [Fact]
    public async Task Pip_download_fetches_files_whose_sha256_matches_the_index()
    {
        using var downloads = new TempFolder("pypilocal-downloads");

        (await _python.PipAsync("download", "--index-url", _server.IndexUrl, "--dest", downloads.Path, "gamma==1.0")).EnsureSuccess("pip download");

        var file = Path.Combine(downloads.Path, DistributionBuilder.WheelFilename("gamma", "1.0"));
        var original = await File.ReadAllBytesAsync(Path.Combine(index.Packages.Path, Path.GetFileName(file)));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(original)), Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file))));

        // pypiserver's pinned URL, /packages/<filename>: served from the folder, or redirected to a presigned S3 URL.
        using var http = new HttpClient();
        Assert.Equal(original, await http.GetByteArrayAsync($"{_server.BaseUrl}/packages/{Path.GetFileName(file)}"));
    }

    [Fact]
    public async Task The_metadata_file_hashes_to_the_pages_core_metadata_value()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, _server.IndexUrl + "alpha/");
        request.Headers.Accept.ParseAdd("application/vnd.pypi.simple.v1+json");
        using var page = JsonDocument.Parse(await (await http.SendAsync(request)).Content.ReadAsStringAsync());
        var file = page.RootElement.GetProperty("files")[0];

        var metadata = await http.GetByteArrayAsync(new Uri(new Uri(_server.IndexUrl + "alpha/"), file.GetProperty("url").GetString() + ".metadata"));

        Assert.Equal(file.GetProperty("core-metadata").GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(metadata)));
        Assert.StartsWith("Metadata-Version: 2.1\nName: alpha\n", System.Text.Encoding.UTF8.GetString(metadata), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_json_api_shows_the_metadata_of_the_latest_release()
    {
        using var http = new HttpClient();

        using var project = JsonDocument.Parse(await http.GetStringAsync(_server.BaseUrl + "/pypi/alpha/json"));

        var info = project.RootElement.GetProperty("info");
        Assert.Equal("1.0", info.GetProperty("version").GetString());
        Assert.Equal(">=3.8", info.GetProperty("requires_python").GetString());
        Assert.Equal(["beta>=1.0"], info.GetProperty("requires_dist").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task A_non_normalized_project_url_redirects_once_to_the_normalized_one()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        using var response = await http.GetAsync(_server.BaseUrl + "/simple/Foo.Bar/");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/simple/foo-bar/", response.Headers.Location?.OriginalString);
    }

    /// <summary>The folder this index was filled from.</summary>
    protected TempFolder Packages => index.Packages;

    protected PythonEnvironment Python => _python;

    protected PypiLocalServer Server => _server;
}

/// <summary>The embedded default: a folder, with files dropped in and removed by hand.</summary>
public sealed class FolderPipInstallTests(FolderPipIndex index) : PipInstallTests(index), IClassFixture<FolderPipIndex>
{
    [Fact]
    public async Task A_wheel_dropped_into_the_folder_is_installable_within_two_seconds_and_gone_within_two_seconds_of_removal()
    {
        var nested = Directory.CreateDirectory(Packages.Combine("team", "builds")).FullName;
        var wheel = DistributionBuilder.Wheel(nested, "dropped-in", "0.1");
        await Task.Delay(TimeSpan.FromSeconds(2));

        (await Python.InstallAsync(Server.IndexUrl, "dropped-in")).EnsureSuccess("pip install dropped-in");
        Assert.Equal("0.1", await Python.RunAsync("import dropped_in; print(dropped_in.VERSION)"));

        File.Delete(wheel);
        await Task.Delay(TimeSpan.FromSeconds(2));

        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(Server.IndexUrl + "dropped-in/")).StatusCode);
        var reinstall = await Python.PipAsync("download", "--no-deps", "--index-url", Server.IndexUrl, "--dest", Packages.Combine("x"), "dropped-in");
        Assert.NotEqual(0, reinstall.ExitCode);
        Assert.Contains("No matching distribution found for dropped-in", reinstall.Output);
    }
}

/// <summary>The distributed storage: an S3 bucket (a real moto_server), downloads redirected to presigned URLs.</summary>
public sealed class S3PipInstallTests(S3PipIndex index) : PipInstallTests(index), IClassFixture<S3PipIndex>;
