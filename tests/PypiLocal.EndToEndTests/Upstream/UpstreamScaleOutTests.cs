using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Upstream;

/// <summary>
/// The distributed mode: two nodes on one real S3 bucket (moto) and one redis-server, in front of a real PypiLocal
/// upstream. What either node fetched, every node serves, with the upstream gone; a purge is seen by every node at once.
/// </summary>
public sealed class UpstreamScaleOutTests : IAsyncLifetime
{
    private const string Json = "application/vnd.pypi.simple.v1+json";
    private readonly TempFolder _root = new("pypilocal-upstream-nodes");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(1) };
    private MotoServer _moto = null!;
    private RedisServer _redis = null!;
    private PypiLocalServer _upstream = null!;
    private readonly List<PypiLocalServer> _nodes = [];
    private Dictionary<string, string?> _environment = [];

    public async Task InitializeAsync()
    {
        DistributionBuilder.Wheel(_root.Combine("upstream"), "shared-lib", "1.0", paddingBytes: 200_000);
        _moto = await MotoServer.StartAsync();
        _redis = await RedisServer.StartAsync();
        _upstream = await PypiLocalServer.ServeAsync(_root.Combine("upstream"));
        _environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__storage"] = _moto.ConnectionString,
            ["ConnectionStrings__cache"] = _redis.ConnectionString,
            ["Storage__S3__Bucket"] = "upstream-nodes",
            ["Upstream__Indexes__0__Url"] = _upstream.IndexUrl,
        };
        // One after the other, so that a node that fails to start leaves the others to DisposeAsync.
        for (var i = 0; i < 2; i++)
        {
            _nodes.Add(await PypiLocalServer.StartAsync(["serve"], _environment));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        await (_upstream?.DisposeAsync() ?? ValueTask.CompletedTask);
        await (_redis?.DisposeAsync() ?? ValueTask.CompletedTask);
        await (_moto?.DisposeAsync() ?? ValueTask.CompletedTask);
        _http.Dispose();
        _root.Dispose();
    }

    private async Task<HttpResponseMessage> PageAsync(PypiLocalServer node)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, node.IndexUrl + "shared-lib/");
        request.Headers.Accept.ParseAdd(Json);
        return await _http.SendAsync(request);
    }

    [Fact]
    public async Task What_one_node_fetched_every_node_serves_without_the_upstream_and_a_purge_reaches_every_node()
    {
        var filename = DistributionBuilder.WheelFilename("shared-lib", "1.0");
        var expected = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(_root.Combine("upstream", filename))));
        using (var page = await PageAsync(_nodes[0]))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        Assert.Equal(expected, Convert.ToHexStringLower(SHA256.HashData(await _http.GetByteArrayAsync($"{_nodes[0].BaseUrl}/packages/shared-lib/{filename}"))));

        await _upstream.StopAsync(TimeSpan.FromSeconds(20));

        using (var page = await PageAsync(_nodes[1]))
        {
            using var json = JsonDocument.Parse(await page.Content.ReadAsStringAsync());
            Assert.Equal(filename, json.RootElement.GetProperty("files")[0].GetProperty("filename").GetString());
        }

        // Kept in the bucket: node B answers with a presigned redirect to the object store.
        using (var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }))
        using (var download = await noRedirect.GetAsync($"{_nodes[1].BaseUrl}/packages/shared-lib/{filename}"))
        {
            Assert.Equal(HttpStatusCode.Redirect, download.StatusCode);
            Assert.Equal(expected, Convert.ToHexStringLower(SHA256.HashData(await _http.GetByteArrayAsync(download.Headers.Location))));
        }

        var purge = await PypiLocalCommand.RunAsync(["cache", "purge", "shared-lib"], _environment, TimeSpan.FromMinutes(2));
        purge.EnsureSuccess("pypilocal cache purge shared-lib");
        Assert.Contains("Purged shared-lib from the upstream cache", purge.StandardOutput, StringComparison.Ordinal);

        // Nothing kept any more and the upstream is gone: both nodes say so at once.
        foreach (var node in _nodes)
        {
            using var gone = await PageAsync(node);
            Assert.Equal(HttpStatusCode.BadGateway, gone.StatusCode);
        }
    }
}
