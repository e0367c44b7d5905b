using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Microsoft.Win32.SafeHandles;
using PypiLocal.Core.Catalog;

namespace PypiLocal.Api.Http;

/// <summary>
/// A distribution in a local folder. A plain <c>GET</c> or <c>HEAD</c> gets the framework file result's 200 and
/// headers, with the length of the file as opened and the file read straight into the pipe (<see cref="FileBodyFeature"/>).
/// That result would look the file up by name once more (<c>lstat</c>, <c>readlink</c>, <c>geteuid</c>), create a
/// logger and evaluate ranges and preconditions on every download. A request with a range or a precondition, or for a
/// file gone since the folder was listed, gets the framework's result itself.
/// </summary>
internal sealed class LocalFileResult(LocalFileDownload file) : IResult
{
    /// <summary>What the framework answers for this file (Range, If-Range, ETag, Last-Modified), sending through <see cref="FileBodyFeature"/>.</summary>
    public static PhysicalFileHttpResult FrameworkResult(HttpContext context, LocalFileDownload file)
    {
        FileBodyFeature.Install(context);
        return TypedResults.PhysicalFile(file.Path, PlainDownload.ContentType, lastModified: file.LastModified, entityTag: EntityTagHeaderValue.Parse(file.ETag), enableRangeProcessing: true);
    }

    public Task ExecuteAsync(HttpContext context) =>
        PlainDownload.Is(context.Request) ? SendAsync(context) : FrameworkResult(context, file).ExecuteAsync(context);

    private async Task SendAsync(HttpContext context)
    {
        var body = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        if (!await TrySendAsync(file, HttpMethods.IsHead(context.Request.Method), context.Response.Headers, body, context.RequestAborted))
        {
            await FrameworkResult(context, file).ExecuteAsync(context);
        }
    }

    /// <summary>
    /// The 200 of a plain request for the file (headers only for <c>HEAD</c>), whoever answers it: this result or the
    /// server's early answer. False, with nothing written, for a file gone since the folder was listed.
    /// </summary>
    public static async ValueTask<bool> TrySendAsync(
        LocalFileDownload file, bool head, IHeaderDictionary headers, IHttpResponseBodyFeature body, CancellationToken cancellationToken)
    {
        using var handle = OpenOrNull(file.Path);
        if (handle is null)
        {
            return false;
        }

        var length = RandomAccess.GetLength(handle);
        PlainDownload.SetHeaders(headers, length, HeaderUtilities.FormatDate(file.LastModified), file.ETag);
        if (!head)
        {
            // Headers first: a body written before them is copied once more when they are.
            await body.StartAsync(cancellationToken);
            await FileBodyFeature.SendAsync(body.Writer, handle, file.Path, 0, length, cancellationToken);
        }

        return true;
    }

    private static SafeFileHandle? OpenOrNull(string path)
    {
        try
        {
            return FileBodyFeature.Open(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
