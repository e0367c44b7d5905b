using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Publishing;

/// <summary>
/// The distributed mode: two api nodes over one real S3 server (moto). Uploads through either node all land,
/// and pip installs them from a third node — publishing is built on the repository, not the folder.
/// </summary>
public sealed class S3PublishingTests : IAsyncLifetime
{
    private readonly TempFolder _root = new("pypilocal-s3-publish");
    private MotoServer _moto = null!;
    private readonly List<PypiLocalServer> _nodes = [];

    public async Task InitializeAsync() => _moto = await MotoServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        await _moto.DisposeAsync();
        _root.Dispose();
    }

    private async Task<PypiLocalServer> StartNodeAsync()
    {
        var passwords = _root.Combine("htpasswd");
        if (!File.Exists(passwords))
        {
            await File.WriteAllTextAsync(passwords, $"alice:{{SHA}}{Convert.ToBase64String(SHA1.HashData(Encoding.UTF8.GetBytes("secret")))}\n");
        }

        var node = await PypiLocalServer.StartAsync(
            ["serve", "-P", passwords],
            new Dictionary<string, string?>
            {
                ["ConnectionStrings__storage"] = _moto.ConnectionString,
                ["Storage__S3__Bucket"] = "publish-e2e",
                ["Storage__S3__DownloadMode"] = "Proxy",
            });
        _nodes.Add(node);
        return node;
    }

    private Task<ProcessResult> TwineAsync(PypiLocalServer node, string file) =>
        ProcessRunner.RunAsync(
            PublishingServer.Require("/usr/bin/twine", "twine"),
            ["upload", "--non-interactive", "--disable-progress-bar", "--repository-url", node.BaseUrl + "/legacy/", "-u", "alice", "-p", "secret", file],
            new Dictionary<string, string?> { ["HOME"] = _root.Path, ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring" },
            TimeSpan.FromMinutes(2));

    [Fact]
    public async Task Concurrent_twine_uploads_through_two_nodes_all_land_and_pip_installs_from_a_third()
    {
        var nodes = new[] { await StartNodeAsync(), await StartNodeAsync() };
        var dist = Directory.CreateDirectory(_root.Combine("dist")).FullName;
        var wheels = Enumerable.Range(0, 10).Select(i => DistributionBuilder.Wheel(dist, "s3-demo", $"1.{i}")).ToList();

        var uploads = await Task.WhenAll(wheels.Select((wheel, i) => TwineAsync(nodes[i % 2], wheel)));

        Assert.All(uploads, upload => upload.EnsureSuccess("twine upload to an S3-backed node"));
        var reader = await StartNodeAsync();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, reader.IndexUrl + "s3-demo/");
        request.Headers.Accept.ParseAdd("application/vnd.pypi.simple.v1+json");
        using var page = JsonDocument.Parse(await (await http.SendAsync(request)).Content.ReadAsStringAsync());
        Assert.Equal(
            wheels.Select(Path.GetFileName).Order(),
            page.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("filename").GetString()).Order());
        using var python = await PythonEnvironment.CreateAsync();
        var install = await python.InstallAsync(reader.IndexUrl, "s3-demo");
        install.EnsureSuccess("pip install s3-demo from an S3-backed node");
        Assert.Equal("1.9", await python.RunAsync("import s3_demo; print(s3_demo.VERSION)"));
    }
}
