using Microsoft.Net.Http.Headers;
using PypiLocal.Core.Caching;

namespace PypiLocal.Api.Http;

/// <summary>
/// A rendered index page with its strong ETag, <c>Vary: Accept</c> and <c>max-age=0, must-revalidate</c>, or 304
/// when the client already has it (docs/protocol.md#index-page-caching): pip 26.2+ honours Cache-Control, so nothing longer.
/// The bytes go straight into the connection's pipe (nothing for HEAD): the general file result would create a logger
/// and parse range and precondition headers on every hit, which index pages do not support anyway.
/// </summary>
internal sealed class PageResult(CachedPage page) : IResult
{
    public Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        var headers = response.Headers;
        headers.Vary = HeaderNames.Accept;
        headers.CacheControl = "max-age=0, must-revalidate";
        headers.ETag = page.ETag;
        if (IfNoneMatch(context.Request, page.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.ContentType = page.ContentType;
        response.ContentLength = page.Body.Length;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return Task.CompletedTask;
        }

        var write = response.BodyWriter.WriteAsync(page.Body, context.RequestAborted);
        return write.IsCompletedSuccessfully ? Task.CompletedTask : write.AsTask();
    }

    private static bool IfNoneMatch(HttpRequest request, string etag) =>
        request.Headers.IfNoneMatch.Count > 0
        && EntityTagHeaderValue.TryParseList(request.Headers.IfNoneMatch, out var tags)
        && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Tag.Equals(etag, StringComparison.Ordinal));
}
