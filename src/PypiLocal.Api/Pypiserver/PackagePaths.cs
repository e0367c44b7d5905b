using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PypiLocal.Api.Endpoints;
using PypiLocal.Api.Http;
using PypiLocal.Api.Upstream;
using PypiLocal.Core.Downloads;
using PypiLocal.Protocol.Filenames;
using PypiLocal.Protocol.Names;

namespace PypiLocal.Api.Pypiserver;

/// <summary>
/// Every file URL under <c>/packages/</c>: ours (<c>/packages/&lt;project&gt;/&lt;filename&gt;</c>, written into pages) and
/// pypiserver's (<c>/packages/&lt;filename&gt;</c>, or the file's path relative to its folder, as pinned in requirements
/// files). The filename names the file; a project segment before it is tried first. <c>--cache-control</c> applies here.
/// </summary>
internal static class PackagePaths
{
    public static async Task<Results<RedirectHttpResult, LocalFileResult, FileStreamHttpResult, BytesResult, FetchStreamResult, ErrorResult>> GetAsync(
        string path, HttpContext context, PackageDownloads downloads, IOptions<PypiserverOptions> server, CancellationToken cancellationToken)
    {
        var (folder, filename) = LastSegments(path);
        Results<RedirectHttpResult, LocalFileResult, FileStreamHttpResult, BytesResult, FetchStreamResult, ErrorResult>? result = null;
        if (folder is not null && ProjectName.IsValid(folder))
        {
            result = await PackageEndpoints.GetAsync(folder, filename, context, downloads, cancellationToken);
        }

        if (result?.Result is null or ErrorResult { StatusCode: StatusCodes.Status404NotFound }
            && DistributionFilename.TryParse(WithoutMetadataSuffix(filename), out var name)
            && (folder is null || name.Project != ProjectName.Normalize(folder)))
        {
            result = await PackageEndpoints.GetAsync(name.Project, filename, context, downloads, cancellationToken);
        }

        // pypiserver's words for a missing file.
        result ??= HttpOutcomes.NotFound($"Not Found ({path} does not exist)");

        // Only for bytes served here: a redirect to a presigned URL must not outlive its signature in a cache.
        if (result.Result is LocalFileResult or FileStreamHttpResult or BytesResult or FetchStreamResult)
        {
            SetCacheControl(context.Response.Headers, server.Value);
        }

        return result;
    }

    /// <summary>The last segment of a path and the one before it (null if none), ignoring empty segments.</summary>
    internal static (string? Folder, string Filename) LastSegments(string path)
    {
        var rest = path.AsSpan().TrimEnd('/');
        var slash = rest.LastIndexOf('/');
        var filename = rest[(slash + 1)..].ToString();
        if (slash < 0)
        {
            return (null, filename);
        }

        rest = rest[..slash].TrimEnd('/');
        return rest.IsEmpty ? (null, filename) : (rest[(rest.LastIndexOf('/') + 1)..].ToString(), filename);
    }

    /// <summary>The file a URL's last segment names: <c>{file}.metadata</c> names <c>{file}</c>.</summary>
    internal static string WithoutMetadataSuffix(string filename) =>
        filename.EndsWith(PackageEndpoints.MetadataSuffix, StringComparison.Ordinal) ? filename[..^PackageEndpoints.MetadataSuffix.Length] : filename;

    /// <summary><c>--cache-control</c> on a file's bytes served here.</summary>
    internal static void SetCacheControl(IHeaderDictionary headers, PypiserverOptions server)
    {
        if (server.CacheControl is { } maxAge)
        {
            headers.CacheControl = $"public, max-age={maxAge}";
        }
    }
}
