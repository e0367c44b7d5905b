using Microsoft.Net.Http.Headers;
using PypiLocal.Core.Caching;

namespace PypiLocal.Api.Http;

/// <summary>The HTTP conventions every index page shares (standards.md §4, §8).</summary>
internal static class PageResponses
{
    /// <summary>
    /// A rendered page with its strong ETag, <c>Vary: Accept</c> and <c>max-age=0, must-revalidate</c>,
    /// or 304 when the client already has it. pip 26.2+ honours Cache-Control, so nothing longer.
    /// </summary>
    public static IResult Page(HttpContext context, CachedPage page)
    {
        var headers = context.Response.Headers;
        headers.Vary = HeaderNames.Accept;
        headers.CacheControl = "max-age=0, must-revalidate";
        headers.ETag = page.ETag;
        if (IfNoneMatch(context.Request, page.ETag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return new PageResult(page);
    }

    /// <summary>A one-hop 301 that keeps the query string and varies on Accept.</summary>
    public static IResult MovedPermanently(HttpContext context, string path)
    {
        context.Response.Headers.Vary = HeaderNames.Accept;
        return Results.Redirect(path + context.Request.QueryString, permanent: true);
    }

    /// <summary>Routing treats a trailing slash as optional, so handlers that want one check it here.</summary>
    public static bool HasTrailingSlash(HttpContext context) => context.Request.Path.Value?.EndsWith('/') == true;

    public static IResult NotFound(HttpContext context, string message)
    {
        context.Response.Headers.Vary = HeaderNames.Accept;
        return Results.Text(message + "\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
    }

    private static bool IfNoneMatch(HttpRequest request, string etag)
    {
        var header = request.Headers.IfNoneMatch;
        if (header.Count == 0)
        {
            return false;
        }

        return EntityTagHeaderValue.TryParseList(header, out var tags)
            && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Tag.Equals(etag, StringComparison.Ordinal));
    }
}
