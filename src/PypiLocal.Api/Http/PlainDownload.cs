using Microsoft.Net.Http.Headers;

namespace PypiLocal.Api.Http;

/// <summary>
/// What <see cref="BytesResult"/> and <see cref="LocalFileResult"/> share: which requests they answer themselves (no
/// range and no precondition to evaluate), and the 200's headers as the framework's file results set them.
/// </summary>
internal static class PlainDownload
{
    public const string ContentType = "application/octet-stream";

    /// <summary>Whether the request has no range and no precondition; any other is left to the framework's result.</summary>
    public static bool Is(HttpRequest request) => Is(request.Headers);

    /// <inheritdoc cref="Is(HttpRequest)"/>
    public static bool Is(IHeaderDictionary headers) =>
        headers.Range.Count == 0
        && headers.IfRange.Count == 0
        && headers.IfMatch.Count == 0
        && headers.IfNoneMatch.Count == 0
        && headers.IfModifiedSince.Count == 0
        && headers.IfUnmodifiedSince.Count == 0;

    /// <param name="headers">The response's headers.</param>
    /// <param name="length">The body's length.</param>
    /// <param name="lastModified">An HTTP date, as <see cref="HeaderUtilities.FormatDate(DateTimeOffset)"/> writes it.</param>
    /// <param name="entityTag">The quoted strong ETag.</param>
    public static void SetHeaders(IHeaderDictionary headers, long length, string lastModified, string entityTag)
    {
        headers.ContentType = ContentType;
        headers.LastModified = lastModified;
        headers.ETag = entityTag;
        headers.AcceptRanges = "bytes";
        headers.ContentLength = length;
    }
}
