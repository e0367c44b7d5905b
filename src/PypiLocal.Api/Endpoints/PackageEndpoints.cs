using PypiLocal.Api.Http;
using PypiLocal.Core.Auth;
using Microsoft.Net.Http.Headers;
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

    internal static async Task<IResult> GetAsync(string project, string filename, HttpContext context, IPackageRepository repository, ProjectStatuses statuses, CancellationToken cancellationToken)
    {
        var part = DownloadPart.File;
        if (filename.EndsWith(MetadataSuffix, StringComparison.Ordinal) && FileTypes.IsDistribution(filename[..^MetadataSuffix.Length]))
        {
            part = DownloadPart.CoreMetadata;
            filename = filename[..^MetadataSuffix.Length];
        }

        if (!ProjectName.IsValid(project))
        {
            return Results.NotFound();
        }

        // A quarantined project (PEP 792) serves no files.
        var normalized = ProjectName.Normalize(project);
        var target = statuses.HidesFiles(normalized) ? null : await repository.GetDownloadAsync(normalized, filename, part, cancellationToken);
        return target switch
        {
            RedirectDownload redirect => Results.Redirect(redirect.Location.AbsoluteUri),
            LocalFileDownload file => SendFile(context, file),
            StreamDownload stream => Results.Stream(
                await stream.Open(cancellationToken),
                contentType: "application/octet-stream",
                lastModified: stream.LastModified,
                entityTag: EntityTagHeaderValue.Parse(stream.ETag),
                enableRangeProcessing: true),
            _ => Results.Text($"No file named '{filename}'{(part == DownloadPart.CoreMetadata ? " with core metadata" : "")} in project '{project}'.\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound),
        };
    }

    /// <summary>The framework's file result (Range, If-Range, ETag, Last-Modified), sending through <see cref="FileBodyFeature"/>.</summary>
    private static IResult SendFile(HttpContext context, LocalFileDownload file)
    {
        FileBodyFeature.Install(context);
        return Results.File(file.Path, "application/octet-stream", lastModified: file.LastModified, entityTag: EntityTagHeaderValue.Parse(file.ETag), enableRangeProcessing: true);
    }
}
