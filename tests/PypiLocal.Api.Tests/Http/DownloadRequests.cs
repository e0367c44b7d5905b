using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace PypiLocal.Api.Tests.Http;

/// <summary>Requests for a download, plain and with each range or precondition, and what a result answers to one.</summary>
internal static class DownloadRequests
{
    public static TheoryData<string, string?, string?> All => new()
    {
        { "GET", null, null },
        { "HEAD", null, null },
        { "GET", "Range", "bytes=0-9" },
        { "GET", "Range", "bytes=5000000-" },
        { "GET", "If-Range", "\"0123abcd\"" },
        { "GET", "If-None-Match", "\"0123abcd\"" },
        { "GET", "If-Match", "\"other\"" },
        { "GET", "If-Modified-Since", "Mon, 30 Nov 2026 12:34:56 GMT" },
        { "GET", "If-Unmodified-Since", "Mon, 30 Nov 2026 12:34:55 GMT" },
    };

    public static async Task<Answer> ExecuteAsync(IResult result, string method, string? header, string? value)
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Request.Method = method;
        if (header is not null)
        {
            context.Request.Headers[header] = value;
        }

        var body = new MemoryStream();
        context.Response.Body = body;

        await result.ExecuteAsync(context);
        await context.Response.BodyWriter.FlushAsync();

        var headers = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in context.Response.Headers)
        {
            headers[name] = values.ToString();
        }

        return new Answer(context.Response.StatusCode, string.Join("\n", headers.Select(h => $"{h.Key}: {h.Value}")), body.ToArray());
    }

    /// <summary>Status, headers one per line in name order, and body; equal when all three are.</summary>
    public sealed record Answer(int Status, string Headers, byte[] Body)
    {
        public bool Equals(Answer? other) =>
            other is not null && Status == other.Status && Headers == other.Headers && Body.AsSpan().SequenceEqual(other.Body);

        public override int GetHashCode() => HashCode.Combine(Status, Headers, Body.Length);
    }
}
