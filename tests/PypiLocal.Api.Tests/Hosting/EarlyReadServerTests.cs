using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using PypiLocal.Api.Commands;
using PypiLocal.Api.Endpoints;
using PypiLocal.Api.Hosting;
using PypiLocal.Api.Tests.Simple;
using PypiLocal.Api.Tests.Support;
using PypiLocal.Core.Downloads;
using PypiLocal.Core.Pages;
using PypiLocal.Testing;

namespace PypiLocal.Api.Tests.Hosting;

/// <summary>A real server process over a folder, started once for the class.</summary>
public sealed class EarlyReadServerFixture : IAsyncLifetime
{
    private readonly TempFolder _folder = new("pypilocal-early-reads");

    public PypiLocalServer Server { get; private set; } = null!;

    public string Folder => _folder.Path;

    public async Task InitializeAsync()
    {
        DistributionBuilder.Wheel(_folder.Path, "foo-bar", "1.0");
        DistributionBuilder.Wheel(_folder.Path, "other", "2.0");
        Server = await PypiLocalServer.ServeAsync(_folder.Path);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _folder.Dispose();
    }
}

/// <summary>
/// Cached project pages and files held here, answered by the server before the hosting layer
/// (<see cref="PypiLocal.Api.Hosting.EarlyReadServer"/>), on a real socket: what a client gets is what the endpoint
/// answers, and the request metrics count it. A query string sends a request the whole way (the endpoints ignore it),
/// which gives the endpoint's answer to compare with.
/// </summary>
public sealed class EarlyReadServerTests(EarlyReadServerFixture fixture) : IClassFixture<EarlyReadServerFixture>, IDisposable
{
    private const string Via = "?via=endpoint";

    private static readonly string Wheel = "/packages/foo-bar/" + DistributionBuilder.WheelFilename("foo-bar", "1.0");

    private static readonly string Metadata = Wheel + ".metadata";

    private readonly HttpClient _client = new(new HttpClientHandler { AllowAutoRedirect = false })
    {
        BaseAddress = new Uri(fixture.Server.BaseUrl),
        Timeout = TimeSpan.FromSeconds(60),
    };

    public static TheoryData<string, string, string?, HttpStatusCode> Reads => new()
    {
        { "GET", "/simple/foo-bar/", null, HttpStatusCode.OK },
        { "GET", "/simple/foo-bar/", "text/html", HttpStatusCode.OK },
        { "GET", "/simple/foo-bar/", ReadRequests.PipAccept, HttpStatusCode.OK },
        { "GET", "/simple/other/", "application/vnd.pypi.simple.v1+json", HttpStatusCode.OK },
        { "HEAD", "/simple/foo-bar/", ReadRequests.PipAccept, HttpStatusCode.OK },
        { "GET", "/simple/foo-bar/", "image/png", HttpStatusCode.NotAcceptable },
        { "GET", "/simple/Foo_Bar/", null, HttpStatusCode.MovedPermanently },
        { "GET", "/simple/foo-bar", null, HttpStatusCode.MovedPermanently },
        { "GET", "/simple/no-such-project/", null, HttpStatusCode.NotFound },
        { "GET", Wheel, null, HttpStatusCode.OK },
        { "HEAD", Wheel, null, HttpStatusCode.OK },
        { "GET", Metadata, null, HttpStatusCode.OK },
        { "HEAD", Metadata, ReadRequests.PipAccept, HttpStatusCode.OK },
        { "GET", "/packages/" + DistributionBuilder.WheelFilename("foo-bar", "1.0"), null, HttpStatusCode.OK }, // pypiserver's URL
        { "GET", "/packages/foo-bar/foo_bar-9.9-py3-none-any.whl", null, HttpStatusCode.NotFound },
        { "GET", "/packages/foo-bar/foo_bar-9.9-py3-none-any.whl.metadata", null, HttpStatusCode.NotFound },
        { "GET", "/packages/Foo.Bar/" + DistributionBuilder.WheelFilename("foo-bar", "1.0"), null, HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(Reads))]
    public async Task Its_answers_are_the_endpoints_header_for_header(string method, string path, string? accept, HttpStatusCode status)
    {
        using var early = await _client.SendAsync(method, path, accept);
        using var endpoint = await _client.SendAsync(method, path + Via, accept);

        Assert.Equal(status, early.StatusCode);
        Assert.Equal(endpoint.StatusCode, early.StatusCode);
        Assert.Equal(ReadRequests.HeadersOf(endpoint, Via), ReadRequests.HeadersOf(early, Via));
        Assert.Equal(await endpoint.Content.ReadAsByteArrayAsync(), await early.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_page_the_client_has_is_304_either_way()
    {
        using var first = await _client.SendAsync("GET", "/simple/foo-bar/", ReadRequests.PipAccept);
        var etag = first.Headers.ETag!.Tag;

        using var early = await _client.SendAsync("GET", "/simple/foo-bar/", ReadRequests.PipAccept, etag);
        using var endpoint = await _client.SendAsync("GET", "/simple/foo-bar/" + Via, ReadRequests.PipAccept, etag);

        Assert.Equal(HttpStatusCode.NotModified, early.StatusCode);
        Assert.Equal(ReadRequests.HeadersOf(endpoint, Via), ReadRequests.HeadersOf(early, Via));
    }

    [Theory]
    [InlineData("bytes=10-19", false)]
    [InlineData(null, true)]
    public async Task A_file_asked_for_in_part_or_on_a_condition_gets_the_endpoints_answer(string? range, bool conditional)
    {
        using var first = await _client.SendAsync("GET", Metadata, null);
        var etag = conditional ? first.Headers.ETag!.Tag : null;

        using var early = await _client.SendAsync("GET", Metadata, null, etag, range);
        using var endpoint = await _client.SendAsync("GET", Metadata + Via, null, etag, range);

        Assert.Equal(conditional ? HttpStatusCode.NotModified : HttpStatusCode.PartialContent, early.StatusCode);
        Assert.Equal(ReadRequests.HeadersOf(endpoint, Via), ReadRequests.HeadersOf(early, Via));
        Assert.Equal(await endpoint.Content.ReadAsByteArrayAsync(), await early.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_file_dropped_in_is_on_the_page_at_once()
    {
        (await _client.SendAsync("GET", "/simple/foo-bar/", null)).Dispose(); // cached before the change

        DistributionBuilder.Wheel(fixture.Folder, "foo-bar", "1.1");

        var listed = await Eventually.TrueAsync(
            async () => (await _client.GetStringAsync("/simple/foo-bar/")).Contains(DistributionBuilder.WheelFilename("foo-bar", "1.1"), StringComparison.Ordinal),
            TimeSpan.FromSeconds(30));
        Assert.True(listed, "the new file never showed on the page");
    }

    [Theory]
    [InlineData("/simple/other/", SimpleEndpoints.ProjectRoute)]
    [InlineData("/packages/other/other-2.0-py3-none-any.whl.metadata", PackageEndpoints.Route)]
    public async Task Early_answers_are_counted_with_the_endpoints_in_one_request_duration_series(string path, string route)
    {
        // The exporter may answer from a scrape made a moment before: wait for the counts to settle on what was sent.
        var before = await CountAsync(route);
        for (var i = 0; i < 5; i++)
        {
            (await _client.SendAsync("GET", path, null)).Dispose();
        }

        (await _client.SendAsync("GET", path + Via, null)).Dispose();

        long? after = null;
        var counted = await Eventually.TrueAsync(async () => (after = await CountAsync(route)) >= before + 6, TimeSpan.FromSeconds(30));
        Assert.True(counted, $"/metrics counts {after} 200s of {route}, not {before} + 6");
    }

    public void Dispose() => _client.Dispose();

    // The one series of GET 200 answers on a route: parallel tests may add to it, never take from it.
    private async Task<long> CountAsync(string route)
    {
        var lines = (await _client.GetStringAsync("/metrics")).Split('\n')
            .Where(line => line.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal)
                && line.Contains($"http_route=\"{route}\"", StringComparison.Ordinal)
                && line.Contains("http_request_method=\"GET\"", StringComparison.Ordinal)
                && line.Contains("http_response_status_code=\"200\"", StringComparison.Ordinal))
            .ToList();
        Assert.True(lines.Count <= 1, "more than one series for the same tags:\n" + string.Join('\n', lines));
        return lines.Count == 0 ? 0 : long.Parse(lines[0][(lines[0].LastIndexOf('}') + 2)..].Split(' ')[0], CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// Which requests the early answers take (<see cref="EarlyReadApplication{TContext}"/> over the features Kestrel gives),
/// with a hosting application that records whether the request reached it; and when the server is put in front at all.
/// </summary>
public sealed class EarlyReadApplicationTests(SimpleIndexFixture fixture) : IClassFixture<SimpleIndexFixture>
{
    [Theory]
    [InlineData("GET", "/simple/foo-bar/", null)]
    [InlineData("HEAD", "/simple/foo-bar/", null)]
    [InlineData("GET", "/simple/foo-bar/", "application/vnd.pypi.simple.v1+json")]
    public async Task A_cached_page_is_answered_without_the_hosting_layer(string method, string path, string? accept)
    {
        var (features, body) = Request(method, path, accept);

        var reached = await RunAsync(features);

        Assert.False(reached);
        Assert.Equal(StatusCodes.Status200OK, features.Get<IHttpResponseFeature>()!.StatusCode);
        Assert.Equal("max-age=0, must-revalidate", features.Get<IHttpResponseFeature>()!.Headers.CacheControl);
        Assert.Equal("nosniff", features.Get<IHttpResponseFeature>()!.Headers.XContentTypeOptions);
        Assert.Equal(method == "HEAD" ? [] : await EndpointBodyAsync(path, accept), body.ToArray());
    }

    [Theory]
    [InlineData("GET", "/packages/foo-bar/foo_bar-1.0-py3-none-any.whl")]
    [InlineData("HEAD", "/packages/foo-bar/foo_bar-1.0-py3-none-any.whl")]
    [InlineData("GET", "/packages/foo-bar/foo_bar-1.0-py3-none-any.whl.metadata")]
    [InlineData("GET", "/packages/Foo.Bar/foo_bar-2.0-py3-none-any.whl.metadata")]
    public async Task A_file_held_here_is_answered_without_the_hosting_layer(string method, string path)
    {
        var (features, body) = Request(method, path, null);

        var reached = await RunAsync(features);

        Assert.False(reached);
        var response = features.Get<IHttpResponseFeature>()!;
        Assert.Equal(StatusCodes.Status200OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Headers.ContentType);
        Assert.Equal("nosniff", response.Headers.XContentTypeOptions);
        Assert.Equal(method == "HEAD" ? [] : await EndpointBodyAsync(path, null), body.ToArray());
    }

    [Theory]
    [InlineData("POST", "/simple/foo-bar/", null)]
    [InlineData("GET", "/simple/Foo_Bar/", null)]
    [InlineData("GET", "/simple/foo-bar", null)]
    [InlineData("GET", "/simple/no-such-project/", null)]
    [InlineData("GET", "/simple/", null)]
    [InlineData("GET", "/", null)]
    [InlineData("GET", "/static/foo-bar/", null)]
    [InlineData("GET", "/packages/foo_bar-1.0-py3-none-any.whl", null)]
    [InlineData("GET", "/packages/foo-bar/sub/foo_bar-1.0-py3-none-any.whl", null)]
    [InlineData("PUT", "/packages/foo-bar/foo_bar-1.0-py3-none-any.whl", null)]
    [InlineData("GET", "/packages/foo-bar/foo_bar-1.0-py3-none-any.whl", "Range")]
    [InlineData("GET", "/packages/foo-bar/foo_bar-1.0-py3-none-any.whl", "Authorization")]
    [InlineData("GET", "/packages/foo-bar/foo_bar-1.0-py3-none-any.whl", "Query")]
    [InlineData("GET", "/simple/foo-bar/", "Authorization")]
    [InlineData("GET", "/simple/foo-bar/", "Query")]
    [InlineData("GET", "/simple/foo-bar/", "Accept")]
    [InlineData("GET", "/simple/foo-bar/", "HTTP/2")]
    public async Task Anything_else_goes_to_the_hosting_layer_untouched(string method, string path, string? extra)
    {
        var (features, body) = Request(method, path, extra == "Accept" ? "image/png" : null);
        var request = features.Get<IHttpRequestFeature>()!;
        switch (extra)
        {
            case "Authorization": request.Headers.Authorization = "Basic dXNlcjpwYXNz"; break;
            case "Query": request.QueryString = "?format=json"; break;
            case "HTTP/2": request.Protocol = "HTTP/2"; break;
            case "Range": request.Headers.Range = "bytes=0-9"; break;
        }

        var reached = await RunAsync(features);

        Assert.True(reached);
        Assert.Empty(features.Get<IHttpResponseFeature>()!.Headers);
        Assert.Equal(0, body.Length);
    }

    [Fact]
    public async Task Nothing_is_answered_early_while_the_hosting_layers_activity_is_traced()
    {
        using var tracing = new ActivityListener { ShouldListenTo = source => source.Name == "Microsoft.AspNetCore", Sample = (ref _) => ActivitySamplingResult.AllData };
        ActivitySource.AddActivityListener(tracing);
        var (features, _) = Request("GET", "/simple/foo-bar/", null);

        Assert.True(await RunAsync(features));
    }

    [Fact]
    public async Task A_lookup_that_fails_goes_to_the_hosting_layer_with_the_request_so_it_is_made_once()
    {
        var cache = new FailingPageCache();
        var pages = ActivatorUtilities.CreateInstance<IndexPageService>(fixture.Factory.Services, cache);
        var early = ActivatorUtilities.CreateInstance<EarlyReads>(fixture.Factory.Services, ActivatorUtilities.CreateInstance<EarlyPages>(fixture.Factory.Services, pages));
        var (features, _) = Request("GET", "/simple/foo-bar/", null);

        Assert.True(await RunAsync(features, early));
        Assert.True(features.Get<EarlyPageLookup>()?.Lookup.IsFaulted, "the failed lookup did not go along with the request");
        Assert.Equal(1, cache.Lookups);
    }

    [Theory]
    [InlineData("/packages/foo-bar/foo_bar-9.9-py3-none-any.whl", typeof(MissingDownload))]
    [InlineData("/packages/foo-bar/foo_bar-1.0.tar.gz.metadata", typeof(MissingDownload))]
    public async Task A_download_not_held_here_goes_to_the_hosting_layer_with_what_was_found(string path, Type found)
    {
        var (features, _) = Request("GET", path, null);

        Assert.True(await RunAsync(features));
        var passed = features.Get<EarlyDownloadLookup>();
        Assert.NotNull(passed);
        Assert.IsType(found, await passed.Lookup);
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData("Index:ServerBaseUrl", "http://example.test/pypi/", false)]
    [InlineData("RateLimit:AnonymousReadsPerMinute", "100", false)]
    [InlineData("Security:TrustedProxies:0", "127.0.0.1", false)]
    public async Task The_server_answers_early_only_where_the_pipeline_leaves_pages_alone(string? key, string? value, bool early)
    {
        using var folder = new TempFolder("pypilocal-early-wiring");
        var configuration = new Dictionary<string, string?> { ["Storage:StateDirectory"] = folder.Combine("state") };
        if (key is not null)
        {
            configuration[key] = value;
        }

        await using var app = PypiLocalApplication.Build([], new ServeSettings([folder.Combine("packages")], FreePort.Next(), "127.0.0.1", null, null, false, configuration));
        await app.StartAsync();

        Assert.Equal(early, app.Services.GetRequiredService<IServer>() is EarlyReadServer);
        await app.StopAsync();
    }

    // What the endpoint sends for the same read, through the whole pipeline.
    private async Task<byte[]> EndpointBodyAsync(string path, string? accept)
    {
        using var client = fixture.Factory.CreateRawClient();
        using var response = await client.SendAsync("GET", path, accept);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    // True when the request reached the hosting layer.
    private async Task<bool> RunAsync(IFeatureCollection features, EarlyReads? early = null)
    {
        var hosting = new RecordingHosting();
        var application = new EarlyReadApplication<object>(
            hosting, early ?? fixture.Factory.Services.GetRequiredService<EarlyReads>(), fixture.Factory.Services.GetRequiredService<HostingRequestMetrics>());
        var context = application.CreateContext(features);
        await application.ProcessRequestAsync(context);
        application.DisposeContext(context, null);
        return hosting.Reached;
    }

    private static (FeatureCollection Features, MemoryStream Body) Request(string method, string path, string? accept)
    {
        var body = new MemoryStream();
        var features = new FeatureCollection();
        var request = new HttpRequestFeature { Method = method, Path = path, Protocol = "HTTP/1.1", Scheme = "http" };
        if (accept is not null)
        {
            request.Headers.Accept = accept;
        }

        features.Set<IHttpRequestFeature>(request);
        features.Set<IHttpResponseFeature>(new HttpResponseFeature());
        features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(body));
        return (features, body);
    }

    private sealed class RecordingHosting : IHttpApplication<object>
    {
        public bool Reached { get; private set; }

        public object CreateContext(IFeatureCollection contextFeatures)
        {
            Reached = true;
            return new object();
        }

        public Task ProcessRequestAsync(object context) => Task.CompletedTask;

        public void DisposeContext(object context, Exception? exception)
        {
        }
    }
}
