using System.Text;
using Microsoft.AspNetCore.Http;
using PypiLocal.Api.Http;
using PypiLocal.Core.Catalog;

namespace PypiLocal.Api.Tests.Http;

/// <summary><see cref="BytesResult"/> answers every request exactly as the framework's stream result would.</summary>
public sealed class BytesResultTests
{
    private static readonly BytesDownload Metadata = new(
        Encoding.UTF8.GetBytes("Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n"),
        new DateTimeOffset(2026, 11, 30, 12, 34, 56, 789, TimeSpan.Zero),
        "\"0123abcd\"");

    [Theory]
    [MemberData(nameof(DownloadRequests.All), MemberType = typeof(DownloadRequests))]
    public async Task Its_answer_is_the_framework_results_status_headers_and_body(string method, string? header, string? value)
    {
        var ours = await DownloadRequests.ExecuteAsync(new BytesResult(Metadata), method, header, value);
        var framework = await DownloadRequests.ExecuteAsync(BytesResult.FrameworkResult(Metadata), method, header, value);

        Assert.Equal(framework, ours);
        if (header is null)
        {
            Assert.Equal(StatusCodes.Status200OK, ours.Status);
            Assert.Equal(method == "GET" ? Metadata.Bytes : [], ours.Body);
        }
    }

    [Theory]
    [InlineData("Range", "bytes=0-9")]
    [InlineData("If-Range", "\"0123abcd\"")]
    [InlineData("If-None-Match", "\"0123abcd\"")]
    [InlineData("If-Match", "\"0123abcd\"")]
    [InlineData("If-Modified-Since", "Mon, 30 Nov 2026 12:34:56 GMT")]
    [InlineData("If-Unmodified-Since", "Mon, 30 Nov 2026 12:34:56 GMT")]
    public void A_range_or_a_precondition_makes_a_request_not_plain(string header, string value)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers[header] = value;

        Assert.False(PlainDownload.Is(context.Request));
        Assert.True(PlainDownload.Is(new DefaultHttpContext().Request));
    }
}
