using Microsoft.AspNetCore.Http.HttpResults;
using PypiLocal.Api.Http;
using PypiLocal.Core.Auth;
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
        app.MapGet("/pypi/{project}/json", (string project, HttpContext context, JsonApiService json, CancellationToken ct) => GetAsync(project, null, context, json, ct)).RequireIndexAccess(IndexAction.List);
        app.MapGet("/pypi/{project}/{version}/json", GetAsync).RequireIndexAccess(IndexAction.List);
        return app;
    }

    internal static async Task<Results<RedirectHttpResult, ErrorResult, FileContentHttpResult>> GetAsync(
        string project, string? version, HttpContext context, JsonApiService json, CancellationToken cancellationToken)
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
        if (await json.GetAsync(normalized, version, $"{request.Scheme}://{request.Host}{request.PathBase}", cancellationToken) is not { } body)
        {
            return HttpOutcomes.NotFound(version is null ? $"No project named '{normalized}'." : $"No release {version} of '{normalized}'.");
        }

        context.Response.Headers.CacheControl = "max-age=0, must-revalidate";
        context.Response.Headers.AccessControlAllowOrigin = "*";
        return TypedResults.Bytes(body, PypiJsonWriter.ContentType);
    }
}
