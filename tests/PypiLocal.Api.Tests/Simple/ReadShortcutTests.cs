using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using PypiLocal.Api.Endpoints;
using PypiLocal.Api.Tests.Support;
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
        // A fresh index, where only the shortcut answers 200 for this route; the exporter may answer from a scrape made
        // a moment before, and the folder shows the new file within its rescan, so ask again until a deadline.
        using var app = new PypiLocalApplicationFactory();
        DistributionBuilder.Wheel(app.Folder, "solo", "1.0");
        var client = app.CreateRawClient();
        const string route = "http_route=\"/simple/{project}\"";
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var metrics = "";
        while (!metrics.Contains(route, StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            (await client.GetAsync("/simple/solo/")).Dispose();
            metrics = await client.GetStringAsync("/metrics");
            await Task.Delay(100);
        }

        Assert.Contains(route, metrics, StringComparison.Ordinal);
    }

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
}
