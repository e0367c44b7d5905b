using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace PypiLocal.Api.Http;

/// <summary>The URL conventions every page shares (docs/protocol.md#simple-api-urls).</summary>
internal static class PageResponses
{
    /// <summary>The methods every page is mapped for: GET, and HEAD (clients and probes check a page without its body).</summary>
    public static readonly string[] ReadMethods = [HttpMethods.Get, HttpMethods.Head];

    /// <summary>A one-hop 301 that keeps the query string and the path base (<c>--server-base-url</c>) and varies on Accept.</summary>
    public static RedirectHttpResult MovedPermanently(HttpContext context, string path)
    {
        context.Response.Headers.Vary = HeaderNames.Accept;
        return TypedResults.Redirect(context.Request.PathBase + path + context.Request.QueryString, permanent: true);
    }

    /// <summary>Routing treats a trailing slash as optional, so handlers that want one check it here.</summary>
    public static bool HasTrailingSlash(HttpContext context) => context.Request.Path.Value?.EndsWith('/') == true;
}
