using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using PypiLocal.Core.Catalog;

namespace PypiLocal.Api.Http;

/// <summary>
/// A download held in memory (a wheel's <c>.metadata</c>, which pip fetches for every candidate it weighs). A plain
/// <c>GET</c> or <c>HEAD</c> gets the framework stream result's 200 and headers, written straight into the pipe; that
/// result would wrap the bytes in a stream, create a logger and copy them through a buffer on every request. A request
/// with a range or a precondition gets the framework's result itself (<see cref="PlainDownload.Is(HttpRequest)"/>), which evaluates them.
/// </summary>
internal sealed class BytesResult(BytesDownload download) : IResult
{
    /// <summary>What the framework answers for these bytes, with ranges and preconditions.</summary>
    public static FileStreamHttpResult FrameworkResult(BytesDownload download) => TypedResults.Stream(
        new MemoryStream(download.Bytes, writable: false),
        contentType: PlainDownload.ContentType,
        lastModified: download.LastModified,
        entityTag: EntityTagHeaderValue.Parse(download.ETag),
        enableRangeProcessing: true);

    public Task ExecuteAsync(HttpContext context) => PlainDownload.Is(context.Request)
        ? SendAsync(download, HttpMethods.IsHead(context.Request.Method), context.Response.Headers, context.Features.GetRequiredFeature<IHttpResponseBodyFeature>(), context.RequestAborted)
        : FrameworkResult(download).ExecuteAsync(context);

    /// <summary>The 200 of a plain request for the bytes (headers only for <c>HEAD</c>), whoever answers it: this result or the server's early answer.</summary>
    public static Task SendAsync(BytesDownload download, bool head, IHeaderDictionary headers, IHttpResponseBodyFeature body, CancellationToken cancellationToken)
    {
        PlainDownload.SetHeaders(headers, download.Bytes.Length, download.LastModifiedHttpDate, download.ETag);
        return head ? Task.CompletedTask : ResponseBody.WriteAsync(body, download.Bytes, cancellationToken);
    }
}
