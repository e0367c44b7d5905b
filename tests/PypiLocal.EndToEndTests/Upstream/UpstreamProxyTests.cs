using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Upstream;

/// <summary>One index URL for local and upstream projects, with real pip, a real PypiLocal upstream and nginx.</summary>
public sealed class UpstreamProxyTests(UpstreamIndexesFixture f) : IClassFixture<UpstreamIndexesFixture>
{
    private const string Json = "application/vnd.pypi.simple.v1+json";

    private async Task<JsonDocument> PageAsync(string indexUrl, string project)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{indexUrl}{project}/");
        request.Headers.Accept.ParseAdd(Json);
        using var response = await f.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [Fact]
    public async Task Pip_installs_a_chain_mixing_a_local_project_and_projects_of_both_upstreams()
    {
        var install = await f.Python.InstallAsync(f.Proxy.IndexUrl, "app");

        install.EnsureSuccess("pip install app through the proxy");
        Assert.Contains("Successfully installed app-1.0 htmllib-1.0 upleaf-1.0 uplib-1.0", install.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("1.0 1.0 1.0 1.0", await f.Python.RunAsync("import app, uplib, upleaf, htmllib; print(app.VERSION, uplib.VERSION, upleaf.VERSION, htmllib.VERSION)"));
    }

    [Fact]
    public async Task Every_upstream_fact_survives_the_trip_and_file_urls_are_ours()
    {
        using var upstream = await PageAsync(f.Upstream.IndexUrl, "uplib");
        using var proxied = await PageAsync(f.Proxy.IndexUrl, "uplib");

        var original = upstream.RootElement.GetProperty("files")[0];
        var file = proxied.RootElement.GetProperty("files")[0];
        foreach (var key in new[] { "filename", "upload-time", "size", "requires-python", "yanked" })
        {
            Assert.Equal(original.GetProperty(key).ToString(), file.GetProperty(key).ToString());
        }

        Assert.Equal(original.GetProperty("hashes").GetProperty("sha256").GetString(), file.GetProperty("hashes").GetProperty("sha256").GetString());
        Assert.Equal(original.GetProperty("core-metadata").GetProperty("sha256").GetString(), file.GetProperty("core-metadata").GetProperty("sha256").GetString());
        Assert.Equal($"/packages/uplib/{file.GetProperty("filename").GetString()}", file.GetProperty("url").GetString());

        // The HTML upstream gives no upload time and no size: none is invented, and the page says api-version 1.0.
        using var html = await PageAsync(f.Proxy.IndexUrl, "htmllib");
        var htmlFile = html.RootElement.GetProperty("files")[0];
        Assert.Equal("1.0", html.RootElement.GetProperty("meta").GetProperty("api-version").GetString());
        Assert.False(htmlFile.TryGetProperty("upload-time", out _));
        Assert.False(htmlFile.TryGetProperty("size", out _));
        var bytes = await f.Http.GetByteArrayAsync(f.Proxy.BaseUrl + htmlFile.GetProperty("url").GetString());
        Assert.Equal(htmlFile.GetProperty("hashes").GetProperty("sha256").GetString(), Sha256(bytes));
    }

    [Fact]
    public async Task A_local_project_shadows_the_upstream_one_with_a_higher_version()
    {
        var downloads = f.Scratch("shadowed");

        (await f.Python.PipAsync("download", "--no-deps", "--index-url", f.Proxy.IndexUrl, "--dest", downloads, "shadowed")).EnsureSuccess("pip download shadowed");

        Assert.Equal([DistributionBuilder.WheelFilename("shadowed", "1.0")], Directory.GetFiles(downloads).Select(Path.GetFileName));
        using var response = await f.Http.GetAsync($"{f.Proxy.BaseUrl}/packages/shadowed/{DistributionBuilder.WheelFilename("shadowed", "9.0")}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_seven_day_minimum_age_makes_pip_pick_the_older_release_and_refuses_the_newer_file_with_the_reason()
    {
        var downloads = f.Scratch("fresh");

        (await f.Python.PipAsync("download", "--no-deps", "--index-url", f.Proxy.IndexUrl, "--dest", downloads, "fresh-lib")).EnsureSuccess("pip download fresh-lib");

        Assert.Equal([DistributionBuilder.WheelFilename("fresh-lib", "1.0")], Directory.GetFiles(downloads).Select(Path.GetFileName));
        using var refused = await f.Http.GetAsync($"{f.Proxy.BaseUrl}/packages/fresh-lib/{DistributionBuilder.WheelFilename("fresh-lib", "2.0")}");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("less than the minimum age of 7 days", refused.ReasonPhrase, StringComparison.Ordinal);
        using var page = await PageAsync(f.Proxy.IndexUrl, "fresh-lib");
        Assert.Equal(["1.0"], page.RootElement.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task Fifty_concurrent_downloads_of_an_uncached_file_cause_one_upstream_fetch()
    {
        var filename = DistributionBuilder.WheelFilename("big-html", "1.0");
        var expected = Sha256(await File.ReadAllBytesAsync(Path.Combine(f.HtmlFolder, "packages", filename)));

        var downloads = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => f.Http.GetByteArrayAsync($"{f.Proxy.BaseUrl}/packages/big-html/{filename}")));

        Assert.All(downloads, bytes => Assert.Equal(expected, Sha256(bytes)));
        var path = $"/packages/{filename}";
        await Eventually.TrueAsync(() => f.Html.RequestsFor(path) > 0, TimeSpan.FromSeconds(10));
        Assert.Equal(1, f.Html.RequestsFor(path));

        // Readers are answered once the bytes are verified, while they are still being kept: wait for the copy.
        var kept = Path.Combine(f.CacheFolder, "files", "big-html", filename);
        Assert.True(await Eventually.TrueAsync(() => File.Exists(kept), TimeSpan.FromSeconds(15)), "the verified file is kept");
    }

    [Fact]
    public async Task A_range_request_for_an_uncached_file_is_answered_from_the_kept_copy_once_fetched()
    {
        var filename = DistributionBuilder.WheelFilename("ranged", "1.0");
        var original = await File.ReadAllBytesAsync(Path.Combine(f.HtmlFolder, "packages", filename));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{f.Proxy.BaseUrl}/packages/ranged/{filename}");
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(100, null);

        using var response = await f.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes 100-{original.Length - 1}/{original.Length}", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(original[100..], await response.Content.ReadAsByteArrayAsync());
    }
}
