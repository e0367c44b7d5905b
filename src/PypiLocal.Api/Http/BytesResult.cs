using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using PypiLocal.Core.Catalog;

namespace PypiLocal.Api.Http;

/// <summary>
/// A download held in memory (a wheel's <c>.metadata</c>, which pip fetches for every candidate it weighs). A plain
/// <c>GET</c> or <c>HEAD</c> gets the framework stream result's 200 and headers, written straight into the pipe; that
/// result would wrap the bytes in a stream, create a logger and copy them through a buffer on every request. A request
/// with a range or a precondition gets the framework's result itself (<see cref="IsPlain"/>), which evaluates them.
/// </summary>
internal sealed class BytesResult(BytesDownload download) : IResult
{
    private const string ContentType = "application/octet-stream";

    /// <summary>What the framework answers for these bytes, with ranges and preconditions.</summary>
    public static FileStreamHttpResult FrameworkResult(BytesDownload download) => TypedResults.Stream(
        new MemoryStream(download.Bytes, writable: false),
        contentType: ContentType,
        lastModified: download.LastModified,
        entityTag: EntityTagHeaderValue.Parse(download.ETag),
        enableRangeProcessing: true);

    public Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        var headers = response.Headers;
        headers.ContentType = ContentType;
        headers.LastModified = HeaderUtilities.FormatDate(download.LastModified);
        headers.ETag = download.ETag;
        headers.AcceptRanges = "bytes";
        response.ContentLength = download.Bytes.Length;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return Task.CompletedTask;
        }

        var write = response.BodyWriter.WriteAsync(download.Bytes, context.RequestAborted);
        return write.IsCompletedSuccessfully ? Task.CompletedTask : write.AsTask();
    }

    /// <summary>Whether this result answers the request: it has no range and no precondition to evaluate.</summary>
    public static bool IsPlain(HttpRequest request)
    {
        var headers = request.Headers;
        return headers.Range.Count == 0
            && headers.IfRange.Count == 0
            && headers.IfMatch.Count == 0
            && headers.IfNoneMatch.Count == 0
            && headers.IfModifiedSince.Count == 0
            && headers.IfUnmodifiedSince.Count == 0;
    }
}
