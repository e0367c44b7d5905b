using Microsoft.AspNetCore.Http.HttpResults;
using PypiLocal.Api.Http;
using PypiLocal.Api.Publishing;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Indexing;
using PypiLocal.Core.Pages;
using PypiLocal.Protocol.Names;
using PypiLocal.Protocol.Simple;

namespace PypiLocal.Api.Endpoints;

/// <summary>The Simple Repository API (PEP 503/691): the root listing and the project pages, negotiated.</summary>
internal static class SimpleEndpoints
{
    /// <summary>A project page's route, as metrics name it.</summary>
    public const string ProjectRoute = "/simple/{project}";

    public static IEndpointRouteBuilder MapSimpleEndpoints(this IEndpointRouteBuilder app)
    {
        // Routing treats a trailing slash as optional, so each handler checks it itself.
        app.MapMethods("/simple", PageResponses.ReadMethods, GetRootAsync).RequireIndexAccess(IndexAction.List);
        app.MapMethods(ProjectRoute, PageResponses.ReadMethods, GetProjectAsync).RequireIndexAccess(IndexAction.List);
        return app;
    }

    internal static async Task<Results<RedirectHttpResult, ErrorResult, PageResult>> GetRootAsync(HttpContext context, IndexPageService pages, CancellationToken cancellationToken)
    {
        if (!PageResponses.HasTrailingSlash(context))
        {
            return PageResponses.MovedPermanently(context, "/simple/");
        }

        if (Negotiate(context) is not { } mediaType)
        {
            return NotAcceptable();
        }

        var readers = IndexAccess.ReadScopeOf(context);
        return new PageResult((await pages.GetRootAsync(mediaType, readers, cancellationToken))!, readers);
    }

    internal static async Task<Results<RedirectHttpResult, ErrorResult, PageResult>> GetProjectAsync(
        string project, HttpContext context, IndexPageService pages, UnknownProjects unknown, CancellationToken cancellationToken)
    {
        if (!ProjectName.IsValid(project))
        {
            return HttpOutcomes.NotFound($"'{project}' is not a valid project name.");
        }

        var normalized = ProjectName.Normalize(project);
        if (normalized != project || !PageResponses.HasTrailingSlash(context))
        {
            return PageResponses.MovedPermanently(context, $"/simple/{normalized}/");
        }

        if (Negotiate(context) is not { } mediaType)
        {
            return NotAcceptable();
        }

        if (await pages.GetProjectAsync(normalized, mediaType, cancellationToken) is { } page)
        {
            return new PageResult(page);
        }

        return unknown.FallbackFor(normalized) is { } fallback
            ? TypedResults.Redirect(fallback.AbsoluteUri)
            : HttpOutcomes.NotFound($"No project named '{normalized}' on this index.");
    }

    internal static SimpleMediaType? Negotiate(HttpContext context) =>
        Negotiate(context.Request.Headers, context.Request.Query["format"].ToString() is { Length: > 0 } format ? format : null);

    /// <summary>The representation the request's Accept header (and <c>?format=</c>, when given) asks for; null if none is served.</summary>
    internal static SimpleMediaType? Negotiate(IHeaderDictionary headers, string? format = null) =>
        SimpleContentNegotiation.Select(headers.Accept.ToString() is { Length: > 0 } accept ? accept : null, format);

    /// <summary>406, listing what this index can answer: clearer than guessing a type the client refused.</summary>
    private static ErrorResult NotAcceptable() => new(
        StatusCodes.Status406NotAcceptable,
        $"Not Acceptable. This index serves {SimpleContentNegotiation.JsonV1}, {SimpleContentNegotiation.HtmlV1} and {SimpleContentNegotiation.TextHtml}.");
}
