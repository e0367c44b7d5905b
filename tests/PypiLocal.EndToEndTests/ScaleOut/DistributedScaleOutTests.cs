using PypiLocal.EndToEndTests.Support;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PypiLocal.EndToEndTests.Publishing;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.ScaleOut;

/// <summary>
/// Three nodes on one real S3 server (moto) and one real redis-server, behind a real haproxy: started once for the
/// class, since each start of the cluster costs a busy 2-core machine most of a minute.
/// </summary>
public sealed class ThreeNodeCluster : IAsyncLifetime
{
    private readonly TempFolder _root = new("pypilocal-distributed");
    private MotoServer _moto = null!;
    private RedisServer _redis = null!;
    private HaproxyBalancer _balancer = null!;

    public PypiLocalServer[] Nodes { get; private set; } = [];

    public HaproxyBalancer Balancer => _balancer;

    public RedisServer Redis => _redis;

    public string Root => _root.Path;

    public async Task InitializeAsync()
    {
        await Twine.WritePasswordsAsync(_root.Combine("htpasswd"));
        Directory.CreateDirectory(_root.Combine("dist"));
        _moto = await MotoServer.StartAsync();
        _redis = await RedisServer.StartAsync();
        Nodes = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => StartNodeAsync()));
        _balancer = await HaproxyBalancer.StartAsync(Nodes.Select(n => n.Port));
    }

    /// <summary>Starts node <paramref name="index"/> again on its port, after a test stopped it.</summary>
    public async Task RestartAsync(int index)
    {
        var port = Nodes[index].Port;
        await Nodes[index].DisposeAsync();
        Nodes[index] = await StartNodeAsync(port);
    }

    private Task<PypiLocalServer> StartNodeAsync(int? port = null) => PypiLocalServer.StartAsync(
        ["serve", "-P", _root.Combine("htpasswd")],
        new Dictionary<string, string?>
        {
            ["ConnectionStrings__storage"] = _moto.ConnectionString,
            ["ConnectionStrings__cache"] = _redis.ConnectionString,
            ["Storage__S3__Bucket"] = "scale-out",
            ["Storage__S3__DownloadMode"] = "Proxy",
        },
        port);

    public async Task DisposeAsync()
    {
        await _balancer.DisposeAsync();
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }

        await _redis.DisposeAsync();
        await _moto.DisposeAsync();
        _root.Dispose();
    }
}

/// <summary>
/// The distributed mode as deployed: a twine upload through one node is on the others at once; twine and pip keep
/// working through the balancer while a node is stopped. Each case uses projects of its own.
/// </summary>
public sealed class DistributedScaleOutTests(ThreeNodeCluster cluster) : IClassFixture<ThreeNodeCluster>, IDisposable
{
    private const string Accept = "application/vnd.pypi.simple.v1+json";

    // Read-your-writes is the subject, not latency: one answer took over 10 s on a busy machine.
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(1) };

    private PypiLocalServer[] Nodes => cluster.Nodes;

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task A_twine_upload_through_one_node_is_listed_by_the_next_node_at_once_every_time()
    {
        for (var i = 0; i < 8; i++)
        {
            var wheel = DistributionBuilder.Wheel(Path.Combine(cluster.Root, "dist"), "ryw-demo", $"1.{i}");
            foreach (var node in Nodes)
            {
                // Every node holds the previous page in its caches (near layer and Redis) before the upload.
                await FilesAsync(node, "ryw-demo");
            }

            (await TwineAsync(Nodes[i % 3].BaseUrl + "/legacy/", wheel)).EnsureSuccess($"twine upload through node {i % 3}");

            var seen = await FilesAsync(Nodes[(i + 1) % 3], "ryw-demo");
            Assert.Contains(Path.GetFileName(wheel), seen);
            Assert.Contains("ryw-demo", await ProjectsAsync(Nodes[(i + 2) % 3]));
        }

        Assert.True(await cluster.Redis.KeyCountAsync() > 0, "the nodes share their pages through Redis");
    }

    [Fact]
    public async Task Twine_and_pip_through_the_balancer_keep_working_while_a_node_is_stopped()
    {
        var first = DistributionBuilder.Wheel(Path.Combine(cluster.Root, "dist"), "lb-demo", "1.0");
        (await TwineAsync(cluster.Balancer.BaseUrl + "/legacy/", first)).EnsureSuccess("twine upload through haproxy");

        var statuses = new List<HttpStatusCode>();
        var stopped = new TaskCompletionSource();
        var load = Task.Run(async () =>
        {
            for (var i = 0; !stopped.Task.IsCompleted || i % 100 != 0; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, cluster.Balancer.IndexUrl + "lb-demo/");
                using var response = await _http.SendAsync(request);
                lock (statuses) statuses.Add(response.StatusCode);
            }
        });
        Assert.True(await Eventually.TrueAsync(() => { lock (statuses) return statuses.Count > 0; }, TimeSpan.FromMinutes(1)), "the load answered nothing");
        try
        {
            await Nodes[0].StopAsync(TimeSpan.FromSeconds(10));
            stopped.SetResult();
            await load;

            var second = DistributionBuilder.Wheel(Path.Combine(cluster.Root, "dist"), "lb-demo", "2.0");
            (await TwineAsync(cluster.Balancer.BaseUrl + "/legacy/", second)).EnsureSuccess("twine upload through haproxy with a node down");
            using var python = await PythonEnvironment.CreateAsync();
            (await python.InstallAsync(cluster.Balancer.IndexUrl, "lb-demo")).EnsureSuccess("pip install through haproxy with a node down");

            Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
            Assert.Equal("2.0", await python.RunAsync("import lb_demo; print(lb_demo.VERSION)"));
        }
        finally
        {
            stopped.TrySetResult();
            await cluster.RestartAsync(0); // the other cases use all three nodes
        }
    }

    [Fact]
    public async Task An_upload_through_node_a_is_read_at_once_through_node_b_a_hundred_times()
    {
        var dist = Directory.CreateDirectory(Path.Combine(cluster.Root, "ryw")).FullName;
        for (var i = 0; i < 100; i++)
        {
            var (writer, reader) = (Nodes[i % 3], Nodes[(i + 1) % 3]);
            var before = await FilesAsync(reader, "hundred");
            var wheel = DistributionBuilder.Wheel(dist, "hundred", $"0.{i}");

            using var upload = await UploadAsync(writer, wheel);
            Assert.Equal(HttpStatusCode.OK, upload.StatusCode);

            var after = await FilesAsync(reader, "hundred");
            Assert.Equal(before.Count + 1, after.Count);
            Assert.Contains(Path.GetFileName(wheel), after);
        }
    }

    /// <summary>One upload as twine posts it (multipart form, file last), without twine's start-up cost.</summary>
    private async Task<HttpResponseMessage> UploadAsync(PypiLocalServer node, string wheel)
    {
        var parts = Path.GetFileName(wheel).Split('-');
        using var form = UploadForm.For(wheel, parts[0], parts[1]);
        using var request = new HttpRequestMessage(HttpMethod.Post, node.BaseUrl + "/legacy/") { Content = form };
        request.Headers.Authorization = UploadForm.Basic("alice", "secret");
        return await _http.SendAsync(request);
    }

    private Task<ProcessResult> TwineAsync(string url, string file) => Twine.UploadAsync(url, cluster.Root, file);

    /// <summary>The filenames a node's JSON project page lists (none when the project does not exist yet).</summary>
    private async Task<List<string>> FilesAsync(PypiLocalServer node, string project)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, node.IndexUrl + project + "/");
        request.Headers.Accept.ParseAdd(Accept);
        using var response = await _http.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return page.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("filename").GetString()!).ToList();
    }

    private async Task<List<string>> ProjectsAsync(PypiLocalServer node)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, node.IndexUrl);
        request.Headers.Accept.ParseAdd(Accept);
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return page.RootElement.GetProperty("projects").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToList();
    }
}
