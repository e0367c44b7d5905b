using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PypiLocal.Api.Http;
using PypiLocal.Core.Catalog;

namespace PypiLocal.Api.Tests.Http;

/// <summary><see cref="BytesResult"/> answers a plain request exactly as the framework's stream result would.</summary>
public sealed class BytesResultTests
{
    private static readonly BytesDownload Metadata = new(
        Encoding.UTF8.GetBytes("Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n"),
        new DateTimeOffset(2026, 11, 30, 12, 34, 56, 789, TimeSpan.Zero),
        "\"0123abcd\"");

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    public async Task A_plain_request_gets_the_framework_results_status_headers_and_body(string method)
    {
        var ours = await ExecuteAsync(method, new BytesResult(Metadata));
        var framework = await ExecuteAsync(method, BytesResult.FrameworkResult(Metadata));

        Assert.Equal(framework.Status, ours.Status);
        Assert.Equal(framework.Headers, ours.Headers);
        Assert.Equal(framework.Body, ours.Body);
        Assert.Equal(method == "GET" ? Metadata.Bytes : [], ours.Body);
    }

    [Theory]
    [InlineData("Range", "bytes=0-9")]
    [InlineData("If-Range", "\"0123abcd\"")]
    [InlineData("If-None-Match", "\"0123abcd\"")]
    [InlineData("If-Match", "\"0123abcd\"")]
    [InlineData("If-Modified-Since", "Mon, 30 Nov 2026 12:34:56 GMT")]
    [InlineData("If-Unmodified-Since", "Mon, 30 Nov 2026 12:34:56 GMT")]
    public void A_range_or_a_precondition_is_left_to_the_framework(string header, string value)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers[header] = value;

        Assert.False(BytesResult.IsPlain(context.Request));
        Assert.True(BytesResult.IsPlain(new DefaultHttpContext().Request));
    }

    private static async Task<(int Status, SortedDictionary<string, string> Headers, byte[] Body)> ExecuteAsync(string method, IResult result)
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Request.Method = method;
        var body = new MemoryStream();
        context.Response.Body = body;

        await result.ExecuteAsync(context);
        await context.Response.BodyWriter.FlushAsync();

        var headers = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in context.Response.Headers)
        {
            headers[name] = values.ToString();
        }

        return (context.Response.StatusCode, headers, body.ToArray());
    }
}
