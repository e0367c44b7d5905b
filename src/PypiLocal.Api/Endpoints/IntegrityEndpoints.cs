using Microsoft.AspNetCore.Http.HttpResults;
using PypiLocal.Api.Http;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Caching;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Projects;
using PypiLocal.Protocol.Names;
using PypiLocal.Protocol.Simple;
using PypiLocal.Protocol.Versions;

namespace PypiLocal.Api.Endpoints;

/// <summary>
/// PyPI's integrity API: <c>GET /integrity/{project}/{version}/{filename}/provenance</c> answers a file's PEP 740
/// provenance object, as PyPI does: <c>application/vnd.pypi.integrity.v1+json</c> (or <c>application/json</c>), 406
/// for any other Accept, 404 when the file has no verified provenance.
/// </summary>
internal static class IntegrityEndpoints
{
    public const string IntegrityV1 = "application/vnd.pypi.integrity.v1+json";

    // PyPI's offers, JSON's own type first.
    private static readonly string[] Offers = [IntegrityV1, "application/json"];

    public static IEndpointRouteBuilder MapIntegrityEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/integrity/{project}/{version}/{filename}/provenance", [HttpMethods.Get, HttpMethods.Head], GetProvenanceAsync)
            .RequireIndexAccess(IndexAction.Download);
        return app;
    }

    internal static async Task<Results<JsonHttpResult<IntegrityMessage>, PageResult>> GetProvenanceAsync(
        string project, string version, string filename, HttpContext context, IPackageRepository repository, ProjectStatuses statuses, CancellationToken cancellationToken)
    {
        context.Response.Headers.Vary = "Accept";
        if (SimpleContentNegotiation.SelectOffer(context.Request.Headers.Accept.ToString(), Offers) is not { } contentType)
        {
            return TypedResults.Json(new IntegrityMessage("Request not acceptable"), ApiJsonContext.Web.IntegrityMessage, statusCode: StatusCodes.Status406NotAcceptable);
        }

        var normalized = ProjectName.IsValid(project) ? ProjectName.Normalize(project) : null;
        var file = normalized is null || statuses.HidesFiles(normalized) || !PackageVersion.TryParse(version, out var release)
            ? null
            : (await repository.GetProjectAsync(normalized, cancellationToken))?.Files.FirstOrDefault(f =>
                f.Filename == filename && PackageVersion.TryParse(f.Version, out var fileVersion) && fileVersion == release);
        var provenance = file?.ProvenanceSha256 is null ? null : await repository.ReadProvenanceAsync(file.Project, file.Filename, cancellationToken);
        if (provenance is null)
        {
            return TypedResults.Json(new IntegrityMessage($"No provenance available for {filename}"), ApiJsonContext.Web.IntegrityMessage, statusCode: StatusCodes.Status404NotFound);
        }

        context.Response.Headers.AccessControlAllowOrigin = "*";
        return new PageResult(new CachedPage(provenance, contentType, $"\"{file!.ProvenanceSha256}\""));
    }

    internal sealed record IntegrityMessage(string Message);
}
