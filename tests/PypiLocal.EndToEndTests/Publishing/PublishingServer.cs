using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PypiLocal.Core;
using PypiLocal.Core.Auth;
using PypiLocal.Testing;
using PypiLocal.Testing.Sigstore;

namespace PypiLocal.EndToEndTests.Publishing;

/// <summary>
/// The real <c>pypilocal serve FOLDER -P htpasswd</c> with a state directory of its own and a private staging folder, plus the
/// real clients (Debian's twine, poetry and pdm, and the <c>pypilocal</c> command line) pointed at it.
/// </summary>
public class PublishingServer : IAsyncLifetime
{
    private MotoServer? _store;

    public const string User = "alice";
    public const string Password = "secret";

    private readonly TempFolder _root = new("pypilocal-publish-e2e");
    private PypiLocalServer? _server;

    public string Packages => _root.Combine("packages");
    public string Staging => _root.Combine("staging");
    public string State => _root.Combine("state");
    public string Home => _root.Combine("home");
    public string Dist => _root.Combine("dist");
    public PypiLocalServer Server => _server ?? throw new InvalidOperationException("The server has not started.");
    public string UploadUrl => Server.BaseUrl + "/legacy/";

    /// <summary>The Sigstore stand-in whose Fulcio roots and log key the server trusts for PEP 740 attestations.</summary>
    public SigstoreTestAuthority Sigstore { get; } = new();

    /// <summary>True to store in an S3 bucket (a real moto_server) instead of the folder.</summary>
    protected virtual bool UsesBucket => false;

    /// <summary>What tells the server and the command line where the packages are kept.</summary>
    public Dictionary<string, string?> StorageEnvironment() =>
        _store is null ? new() { ["Storage__StateDirectory"] = State } : new() { ["ConnectionStrings__storage"] = _store.ConnectionString };

    public async Task InitializeAsync()
    {
        foreach (var folder in new[] { Packages, Staging, Home, Dist })
        {
            Directory.CreateDirectory(folder);
        }

        var passwords = _root.Combine("htpasswd");
        await File.WriteAllTextAsync(passwords, $"{User}:{{SHA}}{Convert.ToBase64String(SHA1.HashData(Encoding.UTF8.GetBytes(Password)))}\n");
        if (UsesBucket)
        {
            _store = await MotoServer.StartAsync();
        }

        var environment = StorageEnvironment();
        var (trustedRoots, logKeys) = Sigstore.WriteTrustFiles(_root.Path);
        environment["Attestations__TrustedRootsFile"] = trustedRoots;
        environment["Attestations__TransparencyLogKeysFile"] = logKeys;
        environment["Publishing__StagingDirectory"] = Staging;
        environment["Storage__RescanInterval"] = "00:00:00.200";
        // PyPI's closed releases, and one yank-only pattern (ReleaseProtectionTests): no other test's files are that old or so named.
        environment["Publishing__CloseReleasesAfterDays"] = "14";
        environment["Publishing__YankOnlyProjects__0"] = "kept-*";
        await ConfigureAsync(environment);
        _server = await PypiLocalServer.StartAsync(["serve", Packages, "-P", passwords], environment);
    }

    /// <summary>Lets a variant add to the server's environment before it starts.</summary>
    protected virtual Task ConfigureAsync(Dictionary<string, string?> environment) => Task.CompletedTask;

    // xunit disposes a fixture whose start failed too: what never started is skipped, so moto_server still stops.
    public virtual async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        _root.Dispose();
    }

    /// <summary>The names of the files kept in storage (folder or bucket), to prove nothing is left behind.</summary>
    public async Task<IReadOnlyList<string>> StoredNamesAsync()
    {
        if (_store is null)
        {
            return Directory.EnumerateFiles(Packages, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList()!;
        }

        return (await _store.ListKeysAsync()).Select(key => key[(key.LastIndexOf('/') + 1)..]).ToList();
    }

    /// <summary>Environment for Python clients: a private HOME, no keyring, no update checks, no PyPI.</summary>
    public Dictionary<string, string?> ClientEnvironment() => new()
    {
        ["HOME"] = Home,
        ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring",
        ["PDM_CHECK_UPDATE"] = "false",
        // pdm 2.2 looks for every Python it can find (each on PATH and each pyenv version, each probed through pyenv's
        // shell shims) and makes a virtualenv for the project, even to publish a built file: up to two minutes on a
        // busy machine. Name the interpreter, skip the virtualenv, and hide pyenv so nothing else is searched.
        ["PDM_PYTHON"] = "/usr/bin/python3",
        ["PDM_USE_VENV"] = "false",
        ["PYENV_ROOT"] = null,
        ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
        ["POETRY_VIRTUALENVS_CREATE"] = "false",
        ["NO_COLOR"] = "1",
        ["TERM"] = "dumb",
        ["PIP_CONFIG_FILE"] = "/dev/null",
    };

    /// <summary>A client's output with every run of whitespace made one space: twine's rich logging wraps lines at 80 columns.</summary>
    public static string Flat(ProcessResult result) => System.Text.RegularExpressions.Regex.Replace(result.Output, @"\s+", " ");

    public static string Require(string path, string package) =>
        File.Exists(path) ? path : throw new InvalidOperationException($"{path} is not installed; this test needs it. Install it with: apt-get install -y {package}");

    public Task<ProcessResult> TwineAsync(string user, string password, params string[] files) =>
        ProcessRunner.RunAsync(
            Require("/usr/bin/twine", "twine"),
            ["upload", "--non-interactive", "--disable-progress-bar", "--repository-url", UploadUrl, "-u", user, "-p", password, .. files],
            ClientEnvironment(),
            TimeSpan.FromMinutes(2));

    /// <summary>Runs the <c>pypilocal</c> command line, configured like the server.</summary>
    public Task<ProcessResult> CliAsync(params string[] arguments) =>
        PypiLocalCommand.RunAsync(
            arguments,
            new Dictionary<string, string?>(StorageEnvironment()) { ["Storage__Folders__0"] = Packages, ["DOTNET_NOLOGO"] = "1" },
            TimeSpan.FromMinutes(1));

    public async Task<string> CreateTokenAsync(params string[] projects)
    {
        var arguments = new List<string> { "token", "create", "ci" };
        foreach (var project in projects)
        {
            arguments.AddRange(["--project", project]);
        }

        return (await CliAsync([.. arguments])).EnsureSuccess("pypilocal token create").StandardOutput.Trim();
    }

    /// <summary>
    /// A token as the trusted-publishing exchange mints it for the authority's GitHub workflow: written to the token
    /// store the running server reads (its state directory or bucket), carrying the publisher identity attestations
    /// are checked against.
    /// </summary>
    public async Task<string> CreatePublisherTokenAsync(params string[] projects)
    {
        var settings = StorageEnvironment().ToDictionary(e => e.Key.Replace("__", ":", StringComparison.Ordinal), e => e.Value);
        settings["Storage:Folders:0"] = Packages;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddPypiLocalCore();
        _ = _store is null ? services.AddFolderStorage() : services.AddS3Storage(configuration);
        await using var provider = services.BuildServiceProvider();
        var publisher = new PublisherIdentity(Sigstore.Identity.Issuer, Sigstore.Identity.TokenClaims);
        var grants = projects.Select(p => new AccessGrant(AccessRight.Upload, ProjectPattern.Normalize(p))).ToList();
        var request = new TokenRequest("github-" + Sigstore.Identity.Repository.Replace('/', '-'), grants, publisher);
        return (await provider.GetRequiredService<ITokenStore>().CreateAsync(request, CancellationToken.None)).Secret;
    }

    /// <summary>The project's files as the JSON Simple API lists them (filename → yanked value), empty when unknown.</summary>
    public async Task<Dictionary<string, JsonElement>> ListedFilesAsync(string project)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Server.IndexUrl}{project}/");
        request.Headers.Accept.ParseAdd("application/vnd.pypi.simple.v1+json");
        using var response = await http.SendAsync(request);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return [];
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("files").EnumerateArray()
            .ToDictionary(f => f.GetProperty("filename").GetString()!, f => f.GetProperty("yanked").Clone());
    }

    public HttpClient AdminClient()
    {
        var client = new HttpClient { BaseAddress = new Uri(Server.BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));
        return client;
    }
}

/// <summary>The same server and clients over an S3 bucket: the publishing suite runs against both backends.</summary>
public sealed class S3PublishingServer : PublishingServer
{
    protected override bool UsesBucket => true;
}
