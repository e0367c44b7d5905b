using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using PypiLocal.Api.Endpoints;
using PypiLocal.Api.Tests.Support;
using PypiLocal.Core.Caching;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Downloads;
using PypiLocal.Core.Pages;
using PypiLocal.Core.Storage;
using PypiLocal.Testing;

namespace PypiLocal.Api.Tests.Simple;

/// <summary>
/// The short way for project pages and files (<see cref="ReadShortcut"/>): what it answers is what the endpoint
/// answers, and whatever the endpoint would answer any other way goes on to it.
/// </summary>
public sealed class ReadShortcutTests(SimpleIndexFixture fixture) : IClassFixture<SimpleIndexFixture>
{
    private static readonly string Wheel = "/packages/foo-bar/" + DistributionBuilder.WheelFilename("foo-bar", "1.0");

    private static readonly string Metadata = Wheel + ".metadata";

    private readonly HttpClient _client = fixture.Factory.CreateRawClient();

    public static TheoryData<string, string, string?, string?, HttpStatusCode> Reads => new()
    {
        { "GET", "/simple/foo-bar/", "text/html", null, HttpStatusCode.OK },
        { "GET", "/simple/foo-bar/", ReadRequests.PipAccept, null, HttpStatusCode.OK },
        { "GET", "/simple/foo-bar/", null, null, HttpStatusCode.OK },
        { "HEAD", "/simple/other/", ReadRequests.PipAccept, null, HttpStatusCode.OK },
        { "GET", Metadata, null, null, HttpStatusCode.OK },
        { "HEAD", Metadata, null, null, HttpStatusCode.OK },
        { "GET", Wheel, null, null, HttpStatusCode.OK },
        { "HEAD", Wheel, null, null, HttpStatusCode.OK },
        { "GET", Wheel, null, "bytes=10-19", HttpStatusCode.PartialContent },
        { "GET", Metadata, null, "bytes=0-9", HttpStatusCode.PartialContent },
        { "GET", "/packages/" + DistributionBuilder.WheelFilename("foo-bar", "1.0"), null, null, HttpStatusCode.OK }, // pypiserver's URL
        { "GET", "/packages/foo-bar/foo_bar-9.9-py3-none-any.whl", null, null, HttpStatusCode.NotFound },
        { "GET", "/packages/foo-bar/foo_bar-1.0.tar.gz.metadata", null, null, HttpStatusCode.NotFound },
    };

    [Theory]
    [MemberData(nameof(Reads))]
    public async Task Its_answers_are_the_endpoints_header_for_header(string method, string path, string? accept, string? range, HttpStatusCode status)
    {
        // A query string is one of the things that send a request the whole way; these endpoints ignore it.
        using var shortcut = await _client.SendAsync(method, path, accept, range: range);
        using var endpoint = await _client.SendAsync(method, path + "?via=endpoint", accept, range: range);

        Assert.Equal(status, shortcut.StatusCode);
        Assert.Equal(endpoint.StatusCode, shortcut.StatusCode);
        Assert.Equal(ReadRequests.HeadersOf(endpoint), ReadRequests.HeadersOf(shortcut));
        Assert.Equal(await endpoint.Content.ReadAsByteArrayAsync(), await shortcut.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_page_the_client_has_is_304_either_way()
    {
        using var first = await _client.SendAsync("GET", "/simple/foo-bar/", ReadRequests.PipAccept);
        var etag = first.Headers.ETag!.Tag;

        using var shortcut = await _client.SendAsync("GET", "/simple/foo-bar/", ReadRequests.PipAccept, etag);
        using var endpoint = await _client.SendAsync("GET", "/simple/foo-bar/?via=endpoint", ReadRequests.PipAccept, etag);

        Assert.Equal(HttpStatusCode.NotModified, shortcut.StatusCode);
        Assert.Equal(ReadRequests.HeadersOf(endpoint), ReadRequests.HeadersOf(shortcut));
    }

    [Fact]
    public async Task A_file_the_client_has_is_304_either_way()
    {
        using var first = await _client.SendAsync("GET", Wheel, null);
        var etag = first.Headers.ETag!.Tag;

        using var shortcut = await _client.SendAsync("GET", Wheel, null, etag);
        using var endpoint = await _client.SendAsync("GET", Wheel + "?via=endpoint", null, etag);

        Assert.Equal(HttpStatusCode.NotModified, shortcut.StatusCode);
        Assert.Equal(ReadRequests.HeadersOf(endpoint), ReadRequests.HeadersOf(shortcut));
    }

    [Theory]
    [InlineData("GET", "/simple/foo-bar/")]
    [InlineData("HEAD", "/simple/foo-bar/")]
    [InlineData("GET", "/simple/other/")]
    [InlineData("GET", "METADATA")]
    [InlineData("GET", "WHEEL")]
    [InlineData("HEAD", "WHEEL")]
    public async Task It_answers_without_the_rest_of_the_pipeline(string method, string path)
    {
        var (context, body) = ContextFor(method, path switch { "METADATA" => Metadata, "WHEEL" => Wheel, _ => path });

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
    [InlineData("GET", "/packages/", null)] // pypiserver's flat list
    [InlineData("GET", "/packages", null)]
    [InlineData("PUT", "METADATA", null)]
    [InlineData("GET", "/", null)]
    [InlineData("GET", "/simple/foo-bar/", "Authorization")]
    [InlineData("GET", "/simple/foo-bar/", "Query")]
    [InlineData("GET", "METADATA", "Authorization")]
    [InlineData("GET", "METADATA", "Query")]
    [InlineData("GET", "/simple/foo-bar/", "Accept")]
    public async Task Anything_else_goes_on_untouched(string method, string path, string? extra)
    {
        var (context, body) = ContextFor(method, path == "METADATA" ? Metadata : path);
        switch (extra)
        {
            case "Authorization": context.Request.Headers.Authorization = "Basic dXNlcjpwYXNz"; break;
            case "Query": context.Request.QueryString = new QueryString("?format=json"); break;
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
                (await client.GetAsync("/packages/solo/" + DistributionBuilder.WheelFilename("solo", "1.0"))).Dispose();
                metrics = await client.GetStringAsync("/metrics");
                return AnsweredOkOn(metrics, SimpleEndpoints.ProjectRoute) && AnsweredOkOn(metrics, PackageEndpoints.Route);
            },
            TimeSpan.FromSeconds(30));

        Assert.True(AnsweredOkOn(metrics, SimpleEndpoints.ProjectRoute), "no 200 of /simple/{project} in /metrics");
        Assert.True(AnsweredOkOn(metrics, PackageEndpoints.Route), "no 200 of /packages/{**path} in /metrics");
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

    [Fact]
    public async Task A_lookup_the_server_made_before_the_pipeline_is_answered_from_not_made_again()
    {
        var cache = new FailingPageCache();
        var pages = ActivatorUtilities.CreateInstance<IndexPageService>(fixture.Factory.Services, cache);
        var shortcut = ActivatorUtilities.CreateInstance<ReadShortcut>(fixture.Factory.Services, pages);
        var (context, _) = ContextFor("GET", "/simple/foo-bar/");
        context.Features.Set(new EarlyPageLookup(Task.FromException<CachedPage?>(new StorageUnavailableException("the upstream is down"))));

        var failure = await Assert.ThrowsAsync<StorageUnavailableException>(() => shortcut.InvokeAsync(context, _ => Task.CompletedTask));

        Assert.Equal("the upstream is down", failure.Message);
        Assert.Equal(0, cache.Lookups);
    }

    [Fact]
    public async Task A_download_the_server_looked_up_before_the_pipeline_is_answered_from_not_asked_again()
    {
        var (context, body) = ContextFor("GET", Wheel);
        var answer = Task.FromResult<DownloadAnswer>(new RefusedDownload("held back when the server asked"));
        context.Features.Set(new EarlyDownloadLookup("foo-bar", DistributionBuilder.WheelFilename("foo-bar", "1.0"), DownloadPart.File, answer));

        await Shortcut().InvokeAsync(context, _ => Task.CompletedTask);

        Assert.Equal(StatusCodes.Status403Forbidden, context.Response.StatusCode);
        Assert.Contains("held back when the server asked", Encoding.UTF8.GetString(body.ToArray()), StringComparison.Ordinal);
    }

    private static bool AnsweredOkOn(string metrics, string route) =>
        metrics.Split('\n').Any(line => line.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal)
            && line.Contains($"http_route=\"{route}\"", StringComparison.Ordinal)
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
}
