using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using PypiLocal.EndToEndTests.Support;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Audit;

/// <summary>
/// A session of changes made with the real clients, spread over the nodes in turn: a token made with
/// <c>pypilocal token create</c>, three twine uploads, then a yank, an unyank and a delete over the HTTP API. Each
/// step is one change, so the audit trail must list exactly <see cref="Expected"/>, in that order.
/// </summary>
public abstract class AuditSession : IAsyncLifetime
{
    public const string Project = "audit-demo";

    private readonly TempFolder _root = new("pypilocal-audit-e2e");

    public IReadOnlyList<PypiLocalServer> Nodes { get; private set; } = [];

    /// <summary>The changes made, in order: action, filename (null for the token), sha256 of the file.</summary>
    public List<(string Action, string? Filename, string? Sha256)> Expected { get; } = [];

    /// <summary>A token limited to <see cref="Project"/>: it may upload, never read the audit trail.</summary>
    public string LimitedToken { get; private set; } = "";

    protected string Root => _root.Path;

    /// <summary>The settings that say where the storage is, the same for every node and the command line.</summary>
    protected abstract Task<Dictionary<string, string?>> StorageAsync();

    /// <summary>What <c>serve</c> is given besides the passwords file (a package folder in the embedded mode).</summary>
    protected abstract IReadOnlyList<string> ServeArguments { get; }

    protected abstract int NodeCount { get; }

    private Dictionary<string, string?> _environment = [];

    public async Task InitializeAsync()
    {
        var passwords = _root.Combine("htpasswd");
        await Twine.WritePasswordsAsync(passwords);
        _environment = await StorageAsync();
        _environment["Auth__TokensFile"] = _root.Combine("tokens.json");
        var nodes = new List<PypiLocalServer>();
        for (var i = 0; i < NodeCount; i++)
        {
            nodes.Add(await PypiLocalServer.StartAsync(["serve", .. ServeArguments, "-P", passwords], _environment));
        }

        Nodes = nodes;
        LimitedToken = (await CliAsync("token", "create", "ci", "--project", Project)).EnsureSuccess("pypilocal token create").StandardOutput.Trim();
        Expected.Add(("token-create", null, null));

        var dist = Directory.CreateDirectory(_root.Combine("dist")).FullName;
        var files = new[] { DistributionBuilder.Wheel(dist, Project, "1.0"), DistributionBuilder.Sdist(dist, Project, "1.0"), DistributionBuilder.Wheel(dist, Project, "2.0") };
        for (var i = 0; i < files.Length; i++)
        {
            (await Twine.UploadAsync(Node(i).BaseUrl + "/legacy/", _root.Path, files[i])).EnsureSuccess("twine upload");
            Expected.Add(("upload", Path.GetFileName(files[i]), Sha256(files[i])));
        }

        var (wheel, newer) = (Path.GetFileName(files[0]), Path.GetFileName(files[2]));
        await ChangeAsync(Node(1), HttpMethod.Post, $"files/{wheel}/yank?reason=broken");
        Expected.Add(("yank", wheel, Sha256(files[0])));
        await ChangeAsync(Node(2), HttpMethod.Post, $"files/{wheel}/unyank");
        Expected.Add(("unyank", wheel, Sha256(files[0])));
        await ChangeAsync(Node(3), HttpMethod.Delete, $"files/{newer}");
        Expected.Add(("delete", newer, Sha256(files[2])));
    }

    public async Task DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }

        await StopStorageAsync();
        _root.Dispose();
    }

    protected virtual Task StopStorageAsync() => Task.CompletedTask;

    /// <summary>The real <c>pypilocal</c> command line, with the nodes' storage settings.</summary>
    public Task<ProcessResult> CliAsync(params string[] arguments) =>
        PypiLocalCommand.RunAsync(arguments, new Dictionary<string, string?>(_environment) { ["DOTNET_NOLOGO"] = "1" }, TimeSpan.FromMinutes(1));

    public static HttpClient Client(PypiLocalServer node, string? user = Twine.User, string? password = Twine.Password)
    {
        var client = new HttpClient { BaseAddress = new Uri(node.BaseUrl) };
        if (user is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }

        return client;
    }

    private PypiLocalServer Node(int step) => Nodes[step % Nodes.Count];

    private static async Task ChangeAsync(PypiLocalServer node, HttpMethod method, string path)
    {
        using var client = Client(node);
        using var response = await client.SendAsync(new HttpRequestMessage(method, $"/api/projects/{Project}/{path}"));
        response.EnsureSuccessStatusCode();
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}

/// <summary>Two stateless nodes over one real S3 bucket (moto with signature checking), the events in the bucket.</summary>
public sealed class BucketAuditSession : AuditSession
{
    private MotoServer? _moto;

    protected override int NodeCount => 2;

    protected override IReadOnlyList<string> ServeArguments => [];

    protected override async Task<Dictionary<string, string?>> StorageAsync()
    {
        _moto = await MotoServer.StartAsync();
        return new() { ["ConnectionStrings__storage"] = _moto.ConnectionString };
    }

    protected override async Task StopStorageAsync()
    {
        if (_moto is not null)
        {
            await _moto.DisposeAsync();
        }
    }
}

/// <summary>The embedded mode: one folder, its facts and events in a state directory outside it.</summary>
public sealed class FolderAuditSession : AuditSession
{
    protected override int NodeCount => 1;

    protected override IReadOnlyList<string> ServeArguments => [Path.Combine(Root, "packages")];

    protected override Task<Dictionary<string, string?>> StorageAsync() =>
        Task.FromResult(new Dictionary<string, string?> { ["Storage__StateDirectory"] = Path.Combine(Root, "state"), ["Storage__Folders__0"] = Path.Combine(Root, "packages") });
}
