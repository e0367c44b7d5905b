using Microsoft.Extensions.Options;
using PypiLocal.Api.Http;

namespace PypiLocal.Api.Security;

/// <summary>
/// The one rule against cross-site request forgery, for every route that changes something (any method but GET, HEAD,
/// OPTIONS and TRACE): a request a browser marks as coming from another site is refused with 403 before any endpoint
/// runs. A browser sends <c>Origin</c> and <c>Sec-Fetch-Site</c> on such requests and a page cannot forge them; twine,
/// uv, poetry, pdm, pip and curl send neither, so they pass untouched.
/// </summary>
internal sealed class CrossSiteRequestGuard(RequestDelegate next, IOptions<SecurityOptions> options)
{
    private const string SecFetchSite = "Sec-Fetch-Site";

    private readonly string? _publicOrigin = options.Value.PublicOrigin();

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
        {
            return next(context);
        }

        return RefusalOf(request) is { } reason
            ? new ErrorResult(StatusCodes.Status403Forbidden, reason).ExecuteAsync(context)
            : next(context);
    }

    /// <summary>Why the request is refused, or null when it may go on.</summary>
    internal string? RefusalOf(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            return IsOwnOrigin(request, origin)
                ? null
                : $"Cross-site request refused: a page on {origin} may not change this index. Use twine or the API from a tool, or this index's own pages.";
        }

        // No Origin: a browser marks even a same-site request from another origin; "same-origin" and "none" (typed by the user) pass.
        var site = request.Headers[SecFetchSite].ToString();
        return site.Length == 0 || site.Equals("same-origin", StringComparison.OrdinalIgnoreCase) || site.Equals("none", StringComparison.OrdinalIgnoreCase)
            ? null
            : $"Cross-site request refused: the browser marked this request '{SecFetchSite}: {site}'. Use twine or the API from a tool, or this index's own pages.";
    }

    private bool IsOwnOrigin(HttpRequest request, string origin) =>
        origin.Equals(_publicOrigin, StringComparison.OrdinalIgnoreCase)
        || origin.Equals($"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase);
}
