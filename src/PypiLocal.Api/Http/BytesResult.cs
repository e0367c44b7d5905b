using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using PypiLocal.Core.Catalog;

namespace PypiLocal.Api.Http;

/// <summary>
/// A download held in memory (a wheel's <c>.metadata</c>, which pip fetches for every candidate it weighs). A plain
/// <c>GET</c> or <c>HEAD</c> gets the framework stream result's 200 and headers, written straight into the pipe; that
/// result would wrap the bytes in a stream, create a logger and copy them through a buffer on every request. A request
/// with a range or a precondition gets the framework's result itself (<see cref="PlainDownload.Is"/>), which evaluates them.
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

    public Task ExecuteAsync(HttpContext context)
    {
        if (!PlainDownload.Is(context.Request))
        {
            return FrameworkResult(download).ExecuteAsync(context);
        }

        PlainDownload.SetHeaders(context.Response, download.Bytes.Length, download.LastModifiedHttpDate, download.ETag);
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return Task.CompletedTask;
        }

        var write = context.Response.BodyWriter.WriteAsync(download.Bytes, context.RequestAborted);
        return write.IsCompletedSuccessfully ? Task.CompletedTask : write.AsTask();
    }
}
