using PypiLocal.Core.Catalog;
using PypiLocal.Core.Indexing;
using PypiLocal.Protocol.Simple;
using PypiLocal.Protocol.Versions;

namespace PypiLocal.Core.Pages;

/// <summary>Turns catalog listings into Simple API models and bytes. Pure: no I/O, no cache.</summary>
public static class SimplePageRenderer
{
    /// <summary>The stable URL written into index pages for a file; the node serves or redirects it.</summary>
    public static string FileUrl(string project, string filename, string basePath = "") =>
        $"{basePath}/packages/{Uri.EscapeDataString(project)}/{Uri.EscapeDataString(filename)}";

    public static byte[] RenderRoot(IReadOnlyList<ProjectSummary> projects, SimpleMediaType mediaType, PageLinks? links = null)
    {
        var list = new SimpleProjectList(projects
            .OrderBy(p => p.Project, StringComparer.Ordinal)
            .Select(p => new SimpleProjectEntry(p.DisplayName, p.Project))
            .ToList());
        return mediaType == SimpleMediaType.JsonV1 ? SimpleJsonWriter.WriteProjectList(list) : SimpleHtmlWriter.WriteProjectList(list, (links ?? PageLinks.Default).BasePath);
    }

    public static byte[] RenderProject(ProjectListing listing, SimpleMediaType mediaType, ProjectStatus? status = null, PageLinks? links = null)
    {
        var page = ToPage(listing, status, links);
        return mediaType == SimpleMediaType.JsonV1 ? SimpleJsonWriter.WriteProjectPage(page) : SimpleHtmlWriter.WriteProjectPage(page);
    }

    /// <summary>Files ordered by version, then filename; versions listed once each, in order. The listing is already gated by <c>ProjectStatuses.Shown</c>.</summary>
    public static SimpleProjectPage ToPage(ProjectListing listing, ProjectStatus? status = null, PageLinks? links = null)
    {
        links ??= PageLinks.Default;
        var linkHash = IndexOptions.AlgorithmName(links.Hash);
        var files = listing.Files
            .Select(f => (File: f, Version: PackageVersion.TryParse(f.Version, out var v) ? v : null))
            .OrderBy(f => f.Version, Comparer<PackageVersion?>.Create(CompareVersions))
            .ThenBy(f => f.File.Filename, StringComparer.Ordinal)
            .ToList();
        var versions = files.Select(f => f.File.Version).Distinct(StringComparer.Ordinal).ToList();
        var entries = files.Select(f => new SimpleFile(
            f.File.Filename,
            FileUrl(listing.Project, f.File.Filename, links.BasePath),
            f.File.Digests.Sha256,
            f.File.RequiresPython,
            f.File.CoreMetadataSha256,
            f.File.Yanked,
            f.File.YankedReason,
            f.File.Size,
            f.File.UploadTime,
            OtherHashes(f.File.Digests, linkHash),
            linkHash)).ToList();
        return new SimpleProjectPage(listing.Project, entries, versions, status);
    }

    /// <summary>The link's digest when it is not sha256 (and known), so JSON lists it beside sha256.</summary>
    private static Dictionary<string, string>? OtherHashes(FileDigests digests, string? linkHash) =>
        linkHash is null or "sha256" || digests.For(linkHash) is not { } hex ? null : new() { [linkHash] = hex };

    private static int CompareVersions(PackageVersion? x, PackageVersion? y) =>
        x is null ? (y is null ? 0 : -1) : y is null ? 1 : x.CompareTo(y);
}
