using PypiLocal.Core.Catalog.Bucket;
using PypiLocal.Protocol.Filenames;
using PypiLocal.Protocol.Simple;

namespace PypiLocal.Core.Upstream;

/// <summary>
/// What this index keeps of one upstream project page (<c>index/{project}.json</c> in the upstream cache): where it
/// came from, when, its validators for the next conditional request, and every fact the upstream gave.
/// </summary>
/// <param name="Project">The normalized project name.</param>
/// <param name="Index">The name of the upstream index it came from.</param>
/// <param name="PageUrl">The page's final URL (after redirects).</param>
/// <param name="FetchedAt">When the upstream last confirmed it (fetched, or answered 304).</param>
/// <param name="ETag">The upstream's ETag, for If-None-Match.</param>
/// <param name="LastModified">The upstream's Last-Modified, for If-Modified-Since.</param>
/// <param name="Status">The upstream's PEP 792 project status, or null.</param>
/// <param name="Versions">The upstream's <c>versions</c> (JSON pages), which may name versions without files.</param>
/// <param name="Files">Every file, in the upstream's order.</param>
public sealed record UpstreamDocument(
    string Project,
    string Index,
    string PageUrl,
    DateTimeOffset FetchedAt,
    string? ETag,
    string? LastModified,
    ProjectStatus? Status,
    IReadOnlyList<string> Versions,
    IReadOnlyList<UpstreamFile> Files)
{
    public UpstreamFile? Find(string filename) => Files.FirstOrDefault(f => f.Filename == filename);
}

/// <summary>One upstream file's facts, exactly as the upstream gave them.</summary>
/// <param name="Filename">The filename (the URL's last segment).</param>
/// <param name="Url">The upstream URL of the bytes (absolute, no fragment).</param>
/// <param name="Version">The version parsed from the filename (normal form).</param>
/// <param name="Sha256">The upstream's sha256: fetched bytes must match it before they are kept.</param>
/// <param name="Size">The upstream's size, or null (HTML pages give none).</param>
/// <param name="UploadTime">The upstream's upload time (PEP 700), never our fetch time; null when not given.</param>
/// <param name="RequiresPython">Requires-Python as given.</param>
/// <param name="CoreMetadataSha256">The hash of the upstream's <c>.metadata</c> (PEP 658), or null when not advertised.</param>
/// <param name="Yanked">Yanked upstream.</param>
/// <param name="YankedReason">The upstream's reason, or null.</param>
/// <param name="RemovedAt">When a revalidation found it gone upstream (kept while its bytes are cached), or null.</param>
public sealed record UpstreamFile(
    string Filename,
    string Url,
    string Version,
    string Sha256,
    long? Size,
    DateTimeOffset? UploadTime,
    string? RequiresPython,
    string? CoreMetadataSha256,
    bool Yanked,
    string? YankedReason,
    DateTimeOffset? RemovedAt = null)
{
    /// <summary>
    /// One file of an upstream page as this index keeps it, or null when it is not a distribution of the project under
    /// a name that is safe to store (such files are left out).
    /// </summary>
    public static UpstreamFile? From(string project, SimpleFile file) =>
        BucketKeys.IsSafeSegment(file.Filename) && !file.Filename.StartsWith('.')
        && DistributionFilename.TryParseForProject(file.Filename, project, out var name)
            ? new UpstreamFile(file.Filename, file.Url, name.Version.ToString(), file.Sha256, file.Size, file.UploadTime,
                file.RequiresPython, file.CoreMetadataSha256, file.Yanked, file.YankedReason)
            : null;

    /// <summary>The URL of the upstream's <c>.metadata</c> file: the suffix on the path, the query kept (as uv does).</summary>
    public Uri MetadataUrl
    {
        get
        {
            var builder = new UriBuilder(Url);
            builder.Path += ".metadata";
            return builder.Uri;
        }
    }
}
