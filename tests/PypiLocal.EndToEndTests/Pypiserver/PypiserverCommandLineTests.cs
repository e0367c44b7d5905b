using System.Security.Cryptography;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Pypiserver;

/// <summary>
/// pypiserver command lines word for word with only the program name changed, for each authentication mode and each
/// <c>--hash-algo</c>, driven by real pip (one venv for the class) and Debian's twine: the server root as pip's index
/// URL, pinned <c>/packages/&lt;file&gt;</c> URLs, and twine uploading to the root URL with an htpasswd account.
/// </summary>
public sealed class PypiserverCommandLineTests(PypiserverCommandLineTests.Clients clients) : IClassFixture<PypiserverCommandLineTests.Clients>
{
    /// <summary>What every test of the class shares: a folder holding a dependency chain, an htpasswd file and one venv.</summary>
    public sealed class Clients : IAsyncLifetime
    {
        private readonly TempFolder _root = new("pypilocal-pypiserver-cli");

        public string Packages => _root.Combine("packages");

        public string Passwords { get; private set; } = "";

        public PythonEnvironment Python { get; private set; } = null!;

        public TempFolder Root => _root;

        public async Task InitializeAsync()
        {
            // alpha → beta → gamma, and an older gamma to pin.
            DistributionBuilder.Wheel(Packages, "alpha", "1.0", requiresDist: ["beta"]);
            DistributionBuilder.Wheel(Packages, "beta", "1.0", requiresDist: ["gamma"]);
            DistributionBuilder.Wheel(Packages, "gamma", "2.0");
            DistributionBuilder.Wheel(Path.Combine(Packages, "old"), "gamma", "1.0");
            Passwords = PypiserverCommand.WritePasswords(_root.Path);
            Python = await PythonEnvironment.CreateAsync();
        }

        public Task DisposeAsync()
        {
            Python.Dispose();
            _root.Dispose();
            return Task.CompletedTask;
        }

        public Dictionary<string, string> Values(string? packages = null) => new() { ["packages"] = packages ?? Packages, ["htpasswd"] = Passwords };
    }

    [Fact]
    public async Task Without_authentication_pip_installs_a_dependency_chain_from_the_root_url_and_a_pinned_packages_url()
    {
        await using var server = await PypiserverCommand.StartAsync("pypi-server run -p {port} -P . -a . {packages}", clients.Values());

        var chain = await clients.Python.PipAsync("install", "--index-url", server.BaseUrl + "/", "alpha");
        var pinned = await clients.Python.PipAsync("install", "--no-deps", $"{server.BaseUrl}/packages/old/{DistributionBuilder.WheelFilename("gamma", "1.0")}");

        chain.EnsureSuccess("pip install -i http://127.0.0.1:PORT/ alpha");
        Assert.Contains("Successfully installed alpha-1.0 beta-1.0 gamma-2.0", chain.StandardOutput, StringComparison.Ordinal);
        pinned.EnsureSuccess("pip install http://127.0.0.1:PORT/packages/old/gamma-1.0-py3-none-any.whl");
        Assert.Equal("1.0 1.0 1.0", await clients.Python.RunAsync("import alpha, beta, gamma; print(alpha.VERSION, beta.VERSION, gamma.VERSION)"));
    }

    [Fact]
    public async Task With_update_authentication_twine_uploads_to_the_root_url_and_the_folder_then_holds_exactly_that_file()
    {
        var packages = Directory.CreateDirectory(clients.Root.Combine("uploads")).FullName;
        var dist = Directory.CreateDirectory(clients.Root.Combine("dist-update")).FullName;
        var wheel = DistributionBuilder.Wheel(dist, "delta", "1.0");
        await using var server = await PypiserverCommand.StartAsync("pypi-server run -p {port} -P {htpasswd} -a update {packages}", clients.Values(packages));

        var refused = await PypiserverCommand.TwineAsync(server.BaseUrl, PypiserverCommand.User, "wrong", clients.Root.Path, wheel);
        var upload = await PypiserverCommand.TwineAsync(server.BaseUrl, PypiserverCommand.User, PypiserverCommand.Password, clients.Root.Path, wheel);
        var download = await clients.Python.PipAsync("download", "--no-deps", "--index-url", server.BaseUrl + "/", "--dest", clients.Root.Combine("got-delta"), "delta");

        Assert.Contains("403", refused.Output, StringComparison.Ordinal);
        upload.EnsureSuccess("twine upload --repository-url http://127.0.0.1:PORT");
        Assert.Equal(
            [Path.GetFileName(wheel)],
            Directory.EnumerateFileSystemEntries(packages, "*", SearchOption.AllDirectories).Select(Path.GetFileName));
        download.EnsureSuccess("pip download delta (reading is open with -a update)");
    }

    [Fact]
    public async Task With_update_and_download_authentication_pip_needs_the_account_to_download()
    {
        await using var server = await PypiserverCommand.StartAsync("pypi-server run -p {port} -P {htpasswd} -a update,download {packages}", clients.Values());
        var withAccount = $"http://{PypiserverCommand.User}:{PypiserverCommand.Password}@127.0.0.1:{server.Port}/";

        var anonymous = await clients.Python.PipAsync("download", "--no-deps", "--index-url", server.BaseUrl + "/", "--dest", clients.Root.Combine("anon"), "gamma");
        var authenticated = await clients.Python.PipAsync("download", "--no-deps", "--index-url", withAccount, "--dest", clients.Root.Combine("auth"), "gamma");

        Assert.NotEqual(0, anonymous.ExitCode);
        Assert.Contains("401", anonymous.Output, StringComparison.Ordinal);
        authenticated.EnsureSuccess("pip download with the account in the index URL");
        Assert.True(File.Exists(clients.Root.Combine("auth", DistributionBuilder.WheelFilename("gamma", "2.0"))));
    }

    [Theory]
    [InlineData("md5")]
    [InlineData("sha1")]
    [InlineData("sha256")]
    [InlineData("sha512")]
    [InlineData("off")]
    public async Task Each_hash_algo_writes_its_digest_into_links_and_pip_verifies_it(string algorithm)
    {
        await using var server = await PypiserverCommand.StartAsync($"pypi-server run -p {{port}} -P . -a . --hash-algo {algorithm} {{packages}}", clients.Values());
        var bytes = await File.ReadAllBytesAsync(Path.Combine(clients.Packages, DistributionBuilder.WheelFilename("gamma", "2.0")));
        var expected = algorithm switch
        {
            "md5" => "#md5=" + Convert.ToHexStringLower(MD5.HashData(bytes)),
            "sha1" => "#sha1=" + Convert.ToHexStringLower(SHA1.HashData(bytes)),
            "sha256" => "#sha256=" + Convert.ToHexStringLower(SHA256.HashData(bytes)),
            "sha512" => "#sha512=" + Convert.ToHexStringLower(SHA512.HashData(bytes)),
            _ => "\"",
        };

        using var http = new HttpClient();
        var page = await http.GetStringAsync(server.BaseUrl + "/simple/gamma/");

        // pip reads the HTML page /packages/ as --find-links, with the fragment as the hash to check the download against.
        var download = await clients.Python.PipAsync(
            "download", "--no-deps", "--no-index", "--find-links", server.BaseUrl + "/packages/", "--dest", clients.Root.Combine("hash-" + algorithm), "gamma==2.0");

        Assert.Contains($"/packages/gamma/{DistributionBuilder.WheelFilename("gamma", "2.0")}{expected}", page, StringComparison.Ordinal);
        download.EnsureSuccess($"pip download --find-links /packages/ with --hash-algo {algorithm}");
    }

    [Fact]
    public async Task An_option_pypiserver_does_not_have_stops_the_command_with_its_name()
    {
        var result = await PypiLocalCommand.RunAsync(["run", "-p", "8080", "--frobnicate", clients.Packages], timeout: TimeSpan.FromMinutes(1));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unrecognized option '--frobnicate'", result.StandardError, StringComparison.Ordinal);
    }
}
