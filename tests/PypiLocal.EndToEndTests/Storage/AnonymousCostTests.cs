using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Storage;

/// <summary>
/// What anonymous traffic costs the object store, counted at the real S3 server (moto_server logs every request):
/// once a page is cached, viewing it again, asking for a name the index does not have, fetching a wheel's
/// <c>.metadata</c> again (pip asks for one per candidate) and probing /health cost no storage request; an upload of
/// the missing name shows at once.
/// </summary>
public sealed class AnonymousCostTests : IAsyncLifetime
{
    private const string Password = "secret";
    private readonly TempFolder _root = new("pypilocal-anonymous-cost");
    private MotoServer _store = null!;
    private PypiLocalServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var passwords = _root.Combine("htpasswd");
        await File.WriteAllTextAsync(passwords, $"alice:{{SHA}}{Convert.ToBase64String(SHA1.HashData(Encoding.UTF8.GetBytes(Password)))}\n");
        _store = await MotoServer.StartAsync();
        _server = await PypiLocalServer.StartAsync(
            ["serve", "-P", passwords],
            new Dictionary<string, string?>
            {
                ["ConnectionStrings__storage"] = _store.ConnectionString,
                ["Cache__LocalPageTtl"] = "00:10:00", // one node: nothing changes behind its back
                ["Publishing__StagingDirectory"] = _root.Combine("staging"),
            });
        _http = new HttpClient { BaseAddress = new Uri(_server.BaseUrl) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        await _store.DisposeAsync();
        _root.Dispose();
    }

    [Fact]
    public async Task Cached_pages_metadata_not_found_lookups_and_health_probes_cost_no_storage_request_and_an_upload_shows_at_once()
    {
        await UploadAsync("present", "1.0");
        string[] pages =
        [
            "/", "/projects/", "/projects/?q=pre", "/projects/present/", "/simple/", "/simple/present/",
            "/pypi/present/json", "/pypi/present/1.0/json", "/packages/",
            $"/packages/present/{DistributionBuilder.WheelFilename("present", "1.0")}.metadata",
        ];
        string[] missing = ["/simple/absent/", "/projects/absent/", "/pypi/absent/json", "/pypi/present/9.9/json"];
        await ViewAllAsync(pages, missing, "/health"); // the first views render and read storage

        var before = _store.RequestLines;
        Assert.Contains(before, r => r.StartsWith("PUT /pypilocal/", StringComparison.Ordinal)); // the counter sees the upload
        Assert.Contains(before, r => r.StartsWith("GET /pypilocal", StringComparison.Ordinal)); // and the first renders
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var round = 0; round < 3; round++)
        {
            await ViewAllAsync(pages, missing, "/health");
        }

        var during = _store.RequestLines.Skip(before.Count).ToList();
        var probes = during.Count(IsHealthProbe);
        var others = during.Where(r => !IsHealthProbe(r)).ToList();
        Assert.True(others.Count == 0, "storage requests while everything was cached:\n" + string.Join('\n', others));
        Assert.True(probes <= 1 + (int)(clock.Elapsed.TotalSeconds / 5), $"{probes} bucket probes in {clock.Elapsed} for 3 /health requests");

        await UploadAsync("absent", "1.0");
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/simple/absent/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/pypi/absent/json")).StatusCode);
        Assert.Contains("absent", await _http.GetStringAsync("/projects/"));
        Assert.Contains(DistributionBuilder.WheelFilename("absent", "1.0"), await _http.GetStringAsync("/packages/"));
    }

    /// <summary>The storage health check's request: a HEAD of the bucket, answered from the node's cached result for 5 s.</summary>
    private static bool IsHealthProbe(string requestLine) => requestLine.StartsWith("HEAD /pypilocal HTTP", StringComparison.Ordinal);

    private async Task ViewAllAsync(string[] pages, string[] missing, string health)
    {
        foreach (var page in pages)
        {
            using var response = await _http.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{page}: {(int)response.StatusCode}");
        }

        foreach (var page in missing)
        {
            using var response = await _http.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{page}: {(int)response.StatusCode}");
        }

        using var probe = await _http.GetAsync(health);
        Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
    }

    /// <summary>The form twine posts, with alice's password.</summary>
    private async Task UploadAsync(string name, string version)
    {
        using var form = UploadForm.For(DistributionBuilder.WheelBytes(name, version), DistributionBuilder.WheelFilename(name, version), name, version);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/legacy/") { Content = form };
        request.Headers.Authorization = UploadForm.Basic("alice", Password);
        using var response = await _http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"upload of {name}: {(int)response.StatusCode} {response.ReasonPhrase}");
    }
}
