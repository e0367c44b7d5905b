using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Publishing;

/// <summary>
/// The distributed mode: api nodes over one real S3 server (moto). Parallel uploads through every node all
/// land (S3 conditional writes), every node lists them — publishing is built on the repository, not the folder.
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
    public async Task Thirty_parallel_twine_uploads_through_three_nodes_on_one_bucket_are_all_listed_by_every_node()
    {
        var nodes = new[] { await StartNodeAsync(), await StartNodeAsync(), await StartNodeAsync() };
        var dist = Directory.CreateDirectory(_root.Combine("dist")).FullName;
        var wheels = Enumerable.Range(0, 30).Select(i => DistributionBuilder.Wheel(dist, "s3-demo", $"1.{i}")).ToList();

        var uploads = await Task.WhenAll(wheels.Select((wheel, i) => TwineAsync(nodes[i % nodes.Length], wheel)));

        Assert.All(uploads, upload => upload.EnsureSuccess("twine upload to an S3-backed node"));
        using var http = new HttpClient();
        foreach (var node in nodes)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, node.IndexUrl + "s3-demo/");
            request.Headers.Accept.ParseAdd("application/vnd.pypi.simple.v1+json");
            using var page = JsonDocument.Parse(await (await http.SendAsync(request)).Content.ReadAsStringAsync());
            var files = page.RootElement.GetProperty("files").EnumerateArray().ToList();
            Assert.Equal(wheels.Select(Path.GetFileName).Order(), files.Select(f => f.GetProperty("filename").GetString()).Order());

            // Every stored file reads back with the bytes that were uploaded.
            foreach (var file in files.Where((_, i) => i % nodes.Length == Array.IndexOf(nodes, node)))
            {
                var stored = await http.GetByteArrayAsync(new Uri(new Uri(node.IndexUrl), file.GetProperty("url").GetString()));
                var original = await File.ReadAllBytesAsync(Path.Combine(dist, file.GetProperty("filename").GetString()!));
                Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(original)), Convert.ToHexStringLower(SHA256.HashData(stored)));
            }
        }

        using var python = await PythonEnvironment.CreateAsync();
        var install = await python.InstallAsync(nodes[2].IndexUrl, "s3-demo");
        install.EnsureSuccess("pip install s3-demo from an S3-backed node");
        Assert.Equal("1.29", await python.RunAsync("import s3_demo; print(s3_demo.VERSION)"));
    }
}
