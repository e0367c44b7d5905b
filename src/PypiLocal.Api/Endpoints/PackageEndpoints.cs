using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using PypiLocal.Api.Http;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Projects;
using PypiLocal.Protocol.Filenames;
using PypiLocal.Protocol.Names;

namespace PypiLocal.Api.Endpoints;

/// <summary>
/// The stable file URLs written into index pages: <c>/packages/{project}/{filename}</c> and its
/// <c>.metadata</c> (PEP 658). Streamed with Range, ETag and Last-Modified, or redirected to the object store.
/// </summary>
internal static class PackageEndpoints
{
    private const string MetadataSuffix = ".metadata";

    public static IEndpointRouteBuilder MapPackageEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/packages/{project}/{filename}", [HttpMethods.Get, HttpMethods.Head], GetAsync).RequireIndexAccess(IndexAction.Download);
        return app;
    }

    internal static async Task<Results<RedirectHttpResult, PhysicalFileHttpResult, FileStreamHttpResult, ErrorResult>> GetAsync(
        string project, string filename, HttpContext context, IPackageRepository repository, ProjectStatuses statuses, CancellationToken cancellationToken)
    {
        var part = DownloadPart.File;
        if (filename.EndsWith(MetadataSuffix, StringComparison.Ordinal) && FileTypes.IsDistribution(filename[..^MetadataSuffix.Length]))
        {
            part = DownloadPart.CoreMetadata;
            filename = filename[..^MetadataSuffix.Length];
        }

        var normalized = ProjectName.IsValid(project) ? ProjectName.Normalize(project) : null;
        var target = normalized is not null && statuses.ServesFiles(normalized)
            ? await repository.GetDownloadAsync(normalized, filename, part, cancellationToken)
            : null;
        return target switch
        {
            RedirectDownload redirect => TypedResults.Redirect(redirect.Location.AbsoluteUri),
            LocalFileDownload file => SendFile(context, file),
            StreamDownload stream => TypedResults.Stream(
                await stream.Open(cancellationToken),
                contentType: "application/octet-stream",
                lastModified: stream.LastModified,
                entityTag: EntityTagHeaderValue.Parse(stream.ETag),
                enableRangeProcessing: true),
            _ => HttpOutcomes.NotFound($"No file named '{filename}'{(part == DownloadPart.CoreMetadata ? " with core metadata" : "")} in project '{project}'."),
        };
    }

    /// <summary>The framework's file result (Range, If-Range, ETag, Last-Modified), sending through <see cref="FileBodyFeature"/>.</summary>
    private static PhysicalFileHttpResult SendFile(HttpContext context, LocalFileDownload file)
    {
        FileBodyFeature.Install(context);
        return TypedResults.PhysicalFile(file.Path, "application/octet-stream", lastModified: file.LastModified, entityTag: EntityTagHeaderValue.Parse(file.ETag), enableRangeProcessing: true);
    }
}
