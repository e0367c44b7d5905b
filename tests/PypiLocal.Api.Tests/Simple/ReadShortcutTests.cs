using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using PypiLocal.Api.Endpoints;
using PypiLocal.Api.Tests.Support;
using PypiLocal.Core.Caching;
using PypiLocal.Core.Pages;
using PypiLocal.Core.Storage;
using PypiLocal.Testing;

namespace PypiLocal.Api.Tests.Simple;

/// <summary>
/// The short way for project pages and <c>.metadata</c> (<see cref="ReadShortcut"/>): what it answers is what the
/// endpoint answers, and whatever the endpoint would answer any other way goes on to it.
/// </summary>
public sealed class ReadShortcutTests(SimpleIndexFixture fixture) : IClassFixture<SimpleIndexFixture>
{
    private const string PipAccept = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01";

    private static readonly string Metadata = "/packages/foo-bar/" + DistributionBuilder.WheelFilename("foo-bar", "1.0") + ".metadata";

    private readonly HttpClient _client = fixture.Factory.CreateRawClient();

    public static TheoryData<string, string, string?> Reads => new()
    {
        { "GET", "/simple/foo-bar/", "text/html" },
        { "GET", "/simple/foo-bar/", PipAccept },
        { "GET", "/simple/foo-bar/", null },
        { "HEAD", "/simple/other/", PipAccept },
        { "GET", Metadata, null },
        { "HEAD", Metadata, null },
    };

    [Theory]
    [MemberData(nameof(Reads))]
    public async Task Its_answers_are_the_endpoints_header_for_header(string method, string path, string? accept)
    {
        // A query string is one of the things that send a request the whole way; these endpoints ignore it.
        using var shortcut = await SendAsync(method, path, accept);
        using var endpoint = await SendAsync(method, path + "?via=endpoint", accept);

        Assert.Equal(HttpStatusCode.OK, shortcut.StatusCode);
        Assert.Equal(endpoint.StatusCode, shortcut.StatusCode);
        Assert.Equal(HeadersOf(endpoint), HeadersOf(shortcut));
        Assert.Equal(await endpoint.Content.ReadAsByteArrayAsync(), await shortcut.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_page_the_client_has_is_304_either_way()
    {
        using var first = await SendAsync("GET", "/simple/foo-bar/", PipAccept);
        var etag = first.Headers.ETag!.Tag;

        using var shortcut = await SendAsync("GET", "/simple/foo-bar/", PipAccept, etag);
        using var endpoint = await SendAsync("GET", "/simple/foo-bar/?via=endpoint", PipAccept, etag);

        Assert.Equal(HttpStatusCode.NotModified, shortcut.StatusCode);
        Assert.Equal(HeadersOf(endpoint), HeadersOf(shortcut));
    }

    [Theory]
    [InlineData("GET", "/simple/foo-bar/")]
    [InlineData("HEAD", "/simple/foo-bar/")]
    [InlineData("GET", "/simple/other/")]
    [InlineData("GET", "METADATA")]
    public async Task It_answers_without_the_rest_of_the_pipeline(string method, string path)
    {
        var (context, body) = ContextFor(method, path == "METADATA" ? Metadata : path);

        await Shortcut().InvokeAsync(context, _ => throw new InvalidOperationException("the request went on to the pipeline"));

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.NotNull(context.GetEndpoint());
        Assert.Equal(method == "HEAD" ? 0 : context.Response.ContentLength, body.Length);
    }

    [Theory]
    [InlineData("POST", "/simple/foo-bar/", null)]
    [InlineData("GET", "/simple/Foo_Bar/", null)]
    [InlineData("GET", "/simple/foo-bar", null)]
    [InlineData("GET", "/simple/no-such-project/", null)]
    [InlineData("GET", "/simple/foo-bar/extra/", null)]
    [InlineData("GET", "/simple/", null)]
    [InlineData("GET", "/packages/foo-bar/foo_bar-1.0-py3-none-any.whl", null)]
    [InlineData("GET", "/packages/foo_bar-1.0-py3-none-any.whl.metadata", null)]
    [InlineData("GET", "/packages/foo-bar/foo_bar-1.0.tar.gz.metadata", null)]
    [InlineData("GET", "/packages/foo-bar/foo_bar-9.9-py3-none-any.whl.metadata", null)]
    [InlineData("GET", "/", null)]
    [InlineData("GET", "/simple/foo-bar/", "Authorization")]
    [InlineData("GET", "/simple/foo-bar/", "Query")]
    [InlineData("GET", "METADATA", "Range")]
    [InlineData("GET", "METADATA", "If-None-Match")]
    [InlineData("GET", "/simple/foo-bar/", "Accept")]
    public async Task Anything_else_goes_on_untouched(string method, string path, string? extra)
    {
        var (context, body) = ContextFor(method, path == "METADATA" ? Metadata : path);
        switch (extra)
        {
            case "Authorization": context.Request.Headers.Authorization = "Basic dXNlcjpwYXNz"; break;
            case "Query": context.Request.QueryString = new QueryString("?format=json"); break;
            case "Range": context.Request.Headers.Range = "bytes=0-9"; break;
            case "If-None-Match": context.Request.Headers.IfNoneMatch = "\"x\""; break;
            case "Accept": context.Request.Headers.Accept = "image/png"; break;
        }

        var wentOn = false;
        await Shortcut().InvokeAsync(context, _ =>
        {
            wentOn = true;
            return Task.CompletedTask;
        });

        Assert.True(wentOn);
        Assert.Empty(context.Response.Headers);
        Assert.Null(context.GetEndpoint());
        Assert.Equal(0, body.Length);
    }

    [Fact]
    public async Task Metrics_name_the_endpoints_route_for_what_it_answers()
    {
        // A fresh index, where only the shortcut answers 200 for this route (a 404 before the folder lists the file
        // would go through routing); the exporter may answer from a scrape made a moment before.
        using var app = new PypiLocalApplicationFactory();
        DistributionBuilder.Wheel(app.Folder, "solo", "1.0");
        var client = app.CreateRawClient();
        var metrics = "";

        await Eventually.TrueAsync(
            async () =>
            {
                (await client.GetAsync("/simple/solo/")).Dispose();
                metrics = await client.GetStringAsync("/metrics");
                return AnsweredOkOnTheProjectRoute(metrics);
            },
            TimeSpan.FromSeconds(30));

        Assert.True(AnsweredOkOnTheProjectRoute(metrics), "no 200 of /simple/{project} in /metrics");
    }

    [Fact]
    public async Task A_lookup_that_fails_is_thrown_to_the_exception_answers_not_tried_again_by_the_endpoint()
    {
        var cache = new FailingPageCache();
        var pages = ActivatorUtilities.CreateInstance<IndexPageService>(fixture.Factory.Services, cache);
        var shortcut = ActivatorUtilities.CreateInstance<ReadShortcut>(fixture.Factory.Services, pages);
        var (context, _) = ContextFor("GET", "/simple/foo-bar/");
        var wentOn = false;

        await Assert.ThrowsAsync<StorageUnavailableException>(() => shortcut.InvokeAsync(context, _ =>
        {
            wentOn = true;
            return Task.CompletedTask;
        }));

        Assert.False(wentOn);
        Assert.Equal(1, cache.Lookups);
    }

    private static bool AnsweredOkOnTheProjectRoute(string metrics) =>
        metrics.Split('\n').Any(line => line.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal)
            && line.Contains("http_route=\"/simple/{project}\"", StringComparison.Ordinal)
            && line.Contains("http_response_status_code=\"200\"", StringComparison.Ordinal));

    private ReadShortcut Shortcut() => ActivatorUtilities.CreateInstance<ReadShortcut>(fixture.Factory.Services);

    private static (DefaultHttpContext Context, MemoryStream Body) ContextFor(string method, string path)
    {
        var body = new MemoryStream();
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(body));
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.Headers.Accept = "text/html";
        return (context, body);
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string? accept, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        return await _client.SendAsync(request);
    }

    private static List<string> HeadersOf(HttpResponseMessage response) =>
        response.Headers.Concat(response.Content.Headers)
            .Where(h => h.Key != "Date")
            .Select(h => $"{h.Key}: {string.Join(", ", h.Value)}")
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>A shared cache that cannot be reached.</summary>
    private sealed class FailingPageCache : IPageCache
    {
        public int Lookups { get; private set; }

        public ValueTask<CacheLookup> GetAsync(PageKey key, CancellationToken cancellationToken)
        {
            Lookups++;
            throw new StorageUnavailableException("the cache is down");
        }

        public ValueTask SetAsync(PageKey key, CachedPage page, long generation, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask InvalidateProjectAsync(string project, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask InvalidateAllAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
