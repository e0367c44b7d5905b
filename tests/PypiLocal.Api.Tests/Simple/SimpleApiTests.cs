using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using PypiLocal.Testing;

namespace PypiLocal.Api.Tests.Simple;

/// <summary>The read side of docs/protocol.md over HTTP: URLs, negotiation, caching, core metadata.</summary>
public sealed partial class SimpleApiTests(SimpleIndexFixture fixture) : IClassFixture<SimpleIndexFixture>
{
    private const string Json = "application/vnd.pypi.simple.v1+json";
    private const string HtmlV1 = "application/vnd.pypi.simple.v1+html";
    private const string PipAccept = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01";
    private const string UvAccept = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01";

    private readonly HttpClient _client = fixture.Factory.CreateRawClient();

    [Theory]
    [InlineData("/simple/Foo_Bar/", "/simple/foo-bar/")]
    [InlineData("/simple/foo.bar/", "/simple/foo-bar/")]
    [InlineData("/simple/Foo_Bar", "/simple/foo-bar/")]
    [InlineData("/simple/foo-bar", "/simple/foo-bar/")]
    [InlineData("/simple", "/simple/")]
    [InlineData("/simple/Foo_Bar/?format=application/vnd.pypi.simple.v1%2Bjson", "/simple/foo-bar/?format=application/vnd.pypi.simple.v1%2Bjson")]
    public async Task Non_canonical_urls_redirect_in_one_hop_keeping_the_query(string path, string location)
    {
        using var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
        Assert.Contains("Accept", response.Headers.Vary);
    }

    [Theory]
    [InlineData("/simple/no-such-project/")]
    [InlineData("/simple/-bad-/")]
    public async Task Unknown_or_invalid_projects_are_404(string path)
    {
        using var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData(null, "text/html")]
    [InlineData("*/*", "text/html")]
    [InlineData("text/html", "text/html")]
    [InlineData(PipAccept, Json)]
    [InlineData(UvAccept, Json)]
    [InlineData("application/vnd.pypi.simple.v1+json, */*;q=0.1", Json)]
    [InlineData(HtmlV1, HtmlV1)]
    [InlineData("application/vnd.pypi.simple.latest+json", Json)]
    [InlineData("application/vnd.pypi.simple.latest+html", HtmlV1)]
    [InlineData("application/vnd.pypi.simple.v1+json;q=0, text/html", "text/html")]
    [InlineData("application/vnd.pypi.simple.v1+json;q=0.1, text/html", "text/html")]
    public async Task Accept_selects_the_representation(string? accept, string contentType)
    {
        foreach (var path in new[] { "/simple/", "/simple/foo-bar/" })
        {
            using var response = await GetAsync(path, accept);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Accept", response.Headers.Vary);
        }
    }

    [Fact]
    public async Task Format_query_overrides_accept()
    {
        using var response = await GetAsync("/simple/foo-bar/?format=" + Uri.EscapeDataString(Json), "text/html");

        Assert.Equal(Json, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_unacceptable_type_is_406_naming_what_is_served()
    {
        using var response = await GetAsync("/simple/foo-bar/", "text/plain");

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        Assert.Contains(Json, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Both_html_types_get_the_same_body()
    {
        using var plain = await GetAsync("/simple/foo-bar/", "text/html");
        using var v1 = await GetAsync("/simple/foo-bar/", HtmlV1);

        Assert.Equal(await plain.Content.ReadAsStringAsync(), await v1.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Etags_differ_per_representation_and_a_match_gives_304()
    {
        using var json = await GetAsync("/simple/foo-bar/", Json);
        using var html = await GetAsync("/simple/foo-bar/", "text/html");
        Assert.NotEqual(json.Headers.ETag, html.Headers.ETag);
        Assert.False(json.Headers.ETag!.IsWeak);
        Assert.Equal(TimeSpan.Zero, json.Headers.CacheControl?.MaxAge);
        Assert.True(json.Headers.CacheControl?.MustRevalidate);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/simple/foo-bar/");
        request.Headers.Accept.ParseAdd(Json);
        request.Headers.IfNoneMatch.Add(json.Headers.ETag);
        using var revalidated = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Equal(json.Headers.ETag, revalidated.Headers.ETag);
    }

    [Fact]
    public async Task Json_root_lists_projects_and_ignores_files_that_are_not_distributions()
    {
        using var root = await GetJsonAsync("/simple/");

        Assert.Equal(JsonValueKind.String, root.RootElement.GetProperty("meta").GetProperty("api-version").ValueKind);
        var names = root.RootElement.GetProperty("projects").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Equal(2, names.Count);
        Assert.Contains("other", names);
    }

    [Fact]
    public async Task Json_project_page_follows_pep_691_and_700()
    {
        using var page = await GetJsonAsync("/simple/foo-bar/");
        var root = page.RootElement;

        Assert.Equal("foo-bar", root.GetProperty("name").GetString());
        Assert.True(Version.Parse(root.GetProperty("meta").GetProperty("api-version").GetString()!) >= new Version(1, 1));
        var files = root.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(4, files.Count);
        var versions = root.GetProperty("versions").EnumerateArray().Select(v => v.GetString()).ToList();
        Assert.Equal(versions.Distinct().Count(), versions.Count);
        Assert.Equal(["0.9", "1.0", "2.0"], versions.Order());
        Assert.DoesNotContain("dist-info-metadata", root.GetRawText());

        foreach (var file in files)
        {
            var filename = file.GetProperty("filename").GetString()!;
            Assert.Matches("^[0-9a-f]{64}$", file.GetProperty("hashes").GetProperty("sha256").GetString());
            Assert.Matches(UploadTime(), file.GetProperty("upload-time").GetString());
            var bytes = await _client.GetByteArrayAsync(file.GetProperty("url").GetString());
            Assert.Equal(file.GetProperty("size").GetInt64(), bytes.Length);
            Assert.Equal(file.GetProperty("hashes").GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
            Assert.Contains(versions, v => filename.Contains($"-{v}", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Wheel_core_metadata_hash_matches_the_served_metadata_which_is_the_wheels_own()
    {
        using var page = await GetJsonAsync("/simple/foo-bar/");
        var wheel = FileNamed(page, DistributionBuilder.WheelFilename("foo-bar", "1.0"));

        var metadata = await _client.GetByteArrayAsync(wheel.GetProperty("url").GetString() + ".metadata");

        Assert.Equal(wheel.GetProperty("core-metadata").GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(metadata)));
        using var zip = System.IO.Compression.ZipFile.OpenRead(fixture.WheelPath);
        using var original = new MemoryStream();
        await zip.GetEntry("foo_bar-1.0.dist-info/METADATA")!.Open().CopyToAsync(original);
        Assert.Equal(original.ToArray(), metadata);
    }

    [Fact]
    public async Task Sdists_advertise_no_core_metadata_and_their_metadata_url_is_404()
    {
        using var page = await GetJsonAsync("/simple/foo-bar/");
        var sdist = FileNamed(page, "foo_bar-1.0.tar.gz");

        Assert.Equal(JsonValueKind.False, sdist.GetProperty("core-metadata").ValueKind);
        using var response = await _client.GetAsync(sdist.GetProperty("url").GetString() + ".metadata");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Yanked_files_carry_their_reason_in_json_and_html()
    {
        using var page = await GetJsonAsync("/simple/foo-bar/");
        var filename = DistributionBuilder.WheelFilename("foo-bar", "0.9");

        Assert.Equal("Broken <build>", FileNamed(page, filename).GetProperty("yanked").GetString());
        Assert.Equal(JsonValueKind.False, FileNamed(page, DistributionBuilder.WheelFilename("foo-bar", "1.0")).GetProperty("yanked").ValueKind);
        var html = await (await GetAsync("/simple/foo-bar/", "text/html")).Content.ReadAsStringAsync();
        Assert.Contains("data-yanked=\"Broken &lt;build&gt;\"", html);
    }

    [Fact]
    public async Task Requires_python_is_raw_in_json_and_escaped_once_in_html()
    {
        using var page = await GetJsonAsync("/simple/foo-bar/");
        Assert.Equal(">=3.8", FileNamed(page, DistributionBuilder.WheelFilename("foo-bar", "1.0")).GetProperty("requires-python").GetString());

        var html = await (await GetAsync("/simple/foo-bar/", "text/html")).Content.ReadAsStringAsync();
        Assert.Contains("data-requires-python=\"&gt;=3.8\"", html);
        Assert.DoesNotContain("&amp;gt;", html);
    }

    [Fact]
    public async Task Html_anchors_follow_pep_503_and_658()
    {
        var html = await (await GetAsync("/simple/foo-bar/", "text/html")).Content.ReadAsStringAsync();

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"pypi:repository-version\" content=\"1.", html);
        var anchors = Anchor().Matches(html);
        Assert.Equal(4, anchors.Count);
        foreach (Match anchor in anchors)
        {
            var href = anchor.Groups["href"].Value;
            Assert.Matches("#sha256=[0-9a-f]{64}$", href);
            Assert.Equal(anchor.Groups["text"].Value, href[..href.IndexOf('#', StringComparison.Ordinal)].Split('/')[^1]);
            var attributes = anchor.Groups["attrs"].Value;
            if (href.Contains(".whl", StringComparison.Ordinal))
            {
                var core = Regex.Match(attributes, "data-core-metadata=\"(sha256=[0-9a-f]{64})\"").Groups[1].Value;
                Assert.NotEmpty(core);
                Assert.Contains($"data-dist-info-metadata=\"{core}\"", attributes);
            }
            else
            {
                Assert.DoesNotContain("data-core-metadata", attributes);
            }
        }
    }

    [Fact]
    public async Task Files_stream_without_content_encoding_and_support_head_and_ranges()
    {
        var url = "/packages/foo-bar/" + DistributionBuilder.WheelFilename("foo-bar", "1.0");
        var length = new FileInfo(fixture.WheelPath).Length;

        using var get = new HttpRequestMessage(HttpMethod.Get, url);
        get.Headers.AcceptEncoding.ParseAdd("identity");
        using var full = await _client.SendAsync(get);
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        Assert.Empty(full.Content.Headers.ContentEncoding);
        Assert.Equal(await File.ReadAllBytesAsync(fixture.WheelPath), await full.Content.ReadAsByteArrayAsync());

        using var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        Assert.Equal(length, head.Content.Headers.ContentLength);
        Assert.Contains("bytes", head.Headers.AcceptRanges);

        using var ranged = new HttpRequestMessage(HttpMethod.Get, url);
        ranged.Headers.Range = new RangeHeaderValue(100, null);
        using var partial = await _client.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal($"bytes 100-{length - 1}/{length}", partial.Content.Headers.ContentRange?.ToString());
        Assert.Equal(length - 100, (await partial.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task Files_answer_304_to_their_etag_and_a_stale_if_range_gets_the_whole_file()
    {
        var url = "/packages/foo-bar/" + DistributionBuilder.WheelFilename("foo-bar", "1.0");
        var bytes = await File.ReadAllBytesAsync(fixture.WheelPath);
        using var first = await _client.GetAsync(url);
        var etag = first.Headers.ETag!;

        using var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.IfNoneMatch.Add(etag);
        using var notModified = await _client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        using var current = new HttpRequestMessage(HttpMethod.Get, url);
        current.Headers.Range = new RangeHeaderValue(0, 9);
        current.Headers.IfRange = new RangeConditionHeaderValue(etag);
        using var partial = await _client.SendAsync(current);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(bytes[..10], await partial.Content.ReadAsByteArrayAsync());

        using var stale = new HttpRequestMessage(HttpMethod.Get, url);
        stale.Headers.Range = new RangeHeaderValue(0, 9);
        stale.Headers.IfRange = new RangeConditionHeaderValue(new EntityTagHeaderValue("\"stale\""));
        using var whole = await _client.SendAsync(stale);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(bytes, await whole.Content.ReadAsByteArrayAsync());

        using var unsatisfiable = new HttpRequestMessage(HttpMethod.Get, url);
        unsatisfiable.Headers.Range = new RangeHeaderValue(bytes.Length + 10, null);
        using var refused = await _client.SendAsync(unsatisfiable);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, refused.StatusCode);
    }

    [Fact]
    public async Task Core_metadata_answers_head_ranges_and_its_etag_like_a_file()
    {
        var url = "/packages/foo-bar/" + DistributionBuilder.WheelFilename("foo-bar", "1.0") + ".metadata";
        using var first = await _client.GetAsync(url);
        var bytes = await first.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("bytes", first.Headers.AcceptRanges);
        Assert.NotNull(first.Content.Headers.LastModified);
        var etag = first.Headers.ETag!;

        using var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(bytes.Length, head.Content.Headers.ContentLength);
        Assert.Equal(etag, head.Headers.ETag);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());

        using var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.IfNoneMatch.Add(etag);
        using var notModified = await _client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var ranged = new HttpRequestMessage(HttpMethod.Get, url);
        ranged.Headers.Range = new RangeHeaderValue(0, 9);
        using var partial = await _client.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(bytes[..10], await partial.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Head_on_a_page_has_the_get_headers_and_no_body()
    {
        using var get = await GetAsync("/simple/foo-bar/", "text/html");
        using var head = new HttpRequestMessage(HttpMethod.Head, "/simple/foo-bar/");
        head.Headers.Accept.ParseAdd("text/html");
        using var response = await _client.SendAsync(head);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(get.Headers.ETag, response.Headers.ETag);
        Assert.Equal(get.Content.Headers.ContentType, response.Content.Headers.ContentType);
        Assert.Equal((await get.Content.ReadAsByteArrayAsync()).Length, response.Content.Headers.ContentLength);
        Assert.Contains("Accept", response.Headers.Vary);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_home_page_tells_how_to_use_the_index()
    {
        var html = await _client.GetStringAsync("/");

        Assert.Contains("pip install --index-url http://localhost/simple/", html);
        Assert.Contains("pip.conf", html);
        Assert.Contains("href=\"/projects/foo-bar/\"", html);
    }

    [Fact]
    public async Task Metrics_count_index_page_cache_hits_and_misses()
    {
        var before = LookupsIn(await _client.GetStringAsync("/metrics"));
        await _client.GetAsync("/simple/other/");
        await _client.GetAsync("/simple/other/");

        // The exporter may answer from a scrape it made a moment ago; the two lookups show within a few scrapes.
        var metrics = "";
        await Eventually.TrueAsync(async () => LookupsIn(metrics = await _client.GetStringAsync("/metrics")) >= before + 2, TimeSpan.FromSeconds(10));

        Assert.True(LookupsIn(metrics) >= before + 2, $"{LookupsIn(metrics)} lookups counted, {before} before two more");
        Assert.Equal(3, CountsOf(metrics, "pypilocal_cache_hits_total").Count); // html, json, view: each from the start
        Assert.Equal(3, CountsOf(metrics, "pypilocal_cache_misses_total").Count);
    }

    private static long LookupsIn(string metrics) =>
        CountsOf(metrics, "pypilocal_cache_hits_total").Sum() + CountsOf(metrics, "pypilocal_cache_misses_total").Sum();

    private static List<long> CountsOf(string metrics, string name) =>
        metrics.Split('\n').Where(line => line.StartsWith(name + "{", StringComparison.Ordinal))
            .Select(line => long.Parse(line.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture)).ToList();

    private async Task<HttpResponseMessage> GetAsync(string path, string? accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        return await _client.SendAsync(request);
    }

    private async Task<JsonDocument> GetJsonAsync(string path)
    {
        using var response = await GetAsync(path, Json);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static JsonElement FileNamed(JsonDocument page, string filename) =>
        page.RootElement.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("filename").GetString() == filename);

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$")]
    private static partial Regex UploadTime();

    [GeneratedRegex("<a href=\"(?<href>[^\"]+)\"(?<attrs>[^>]*)>(?<text>[^<]+)</a>")]
    private static partial Regex Anchor();
}
