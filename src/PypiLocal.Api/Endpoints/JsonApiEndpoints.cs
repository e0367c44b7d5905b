using Microsoft.AspNetCore.Http.HttpResults;
using PypiLocal.Api.Http;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Caching;
using PypiLocal.Core.Pages;
using PypiLocal.Core.JsonApi;
using PypiLocal.Protocol.Json;
using PypiLocal.Protocol.Names;

namespace PypiLocal.Api.Endpoints;

/// <summary>The PyPI JSON API subset (<c>/pypi/{project}/json</c>, <c>/pypi/{project}/{version}/json</c>) that pdm and twine read.</summary>
internal static class JsonApiEndpoints
{
    public static IEndpointRouteBuilder MapJsonApiEndpoints(this IEndpointRouteBuilder app)
    {
        // Routing tolerates the trailing slash, which PyPI also serves without a redirect.
        app.MapGet("/pypi/{project}/json", (string project, HttpContext context, JsonApiService json, IndexPageService pages, CancellationToken ct) => GetAsync(project, null, context, json, pages, ct)).RequireIndexAccess(IndexAction.List);
        app.MapGet("/pypi/{project}/{version}/json", GetAsync).RequireIndexAccess(IndexAction.List);
        return app;
    }

    internal static async Task<Results<RedirectHttpResult, ErrorResult, PageResult>> GetAsync(
        string project, string? version, HttpContext context, JsonApiService json, IndexPageService pages, CancellationToken cancellationToken)
    {
        if (!ProjectName.IsValid(project))
        {
            return HttpOutcomes.NotFound($"'{project}' is not a valid project name.");
        }

        var normalized = ProjectName.Normalize(project);
        if (normalized != project)
        {
            var rest = context.Request.Path.Value![$"/pypi/{project}".Length..];
            return PageResponses.MovedPermanently(context, $"/pypi/{normalized}{rest}");
        }

        var request = context.Request;
        var baseUrl = $"{request.Scheme}://{request.Host}{request.PathBase}";
        if (await pages.GetPageAsync(
                PageKey.ForView(normalized, $"pypi-json/{version} {baseUrl}"),
                PypiJsonWriter.ContentType,
                () => json.GetAsync(normalized, version, baseUrl, CancellationToken.None),
                cancellationToken) is not { } page)
        {
            return HttpOutcomes.NotFound(version is null ? $"No project named '{normalized}'." : $"No release {version} of '{normalized}'.");
        }

        context.Response.Headers.AccessControlAllowOrigin = "*";
        return new PageResult(page);
    }
}
