using PypiLocal.Api.Http;
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
        app.MapGet("/pypi/{project}/json", (string project, HttpContext context, JsonApiService json, CancellationToken ct) => GetAsync(project, null, context, json, ct));
        app.MapGet("/pypi/{project}/{version}/json", (string project, string version, HttpContext context, JsonApiService json, CancellationToken ct) => GetAsync(project, version, context, json, ct));
        return app;
    }

    internal static async Task<IResult> GetAsync(string project, string? version, HttpContext context, JsonApiService json, CancellationToken cancellationToken)
    {
        if (!ProjectName.IsValid(project))
        {
            return PageResponses.NotFound(context, $"'{project}' is not a valid project name.");
        }

        var normalized = ProjectName.Normalize(project);
        if (normalized != project)
        {
            var rest = context.Request.Path.Value![$"/pypi/{project}".Length..];
            return PageResponses.MovedPermanently(context, $"/pypi/{normalized}{rest}");
        }

        var request = context.Request;
        var body = await json.GetAsync(normalized, version, $"{request.Scheme}://{request.Host}{request.PathBase}", cancellationToken);
        if (body is null)
        {
            return PageResponses.NotFound(context, version is null ? $"No project named '{normalized}'." : $"No release {version} of '{normalized}'.");
        }

        context.Response.Headers.CacheControl = "max-age=0, must-revalidate";
        context.Response.Headers.AccessControlAllowOrigin = "*";
        return Results.Bytes(body, PypiJsonWriter.ContentType);
    }
}
