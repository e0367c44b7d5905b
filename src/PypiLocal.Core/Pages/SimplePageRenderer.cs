using PypiLocal.Core.Catalog;
using PypiLocal.Protocol.Simple;
using PypiLocal.Protocol.Versions;

namespace PypiLocal.Core.Pages;

/// <summary>Turns catalog listings into Simple API models and bytes. Pure: no I/O, no cache.</summary>
public static class SimplePageRenderer
{
    /// <summary>The stable URL written into index pages for a file; the node serves or redirects it.</summary>
    public static string FileUrl(string project, string filename) =>
        $"/packages/{Uri.EscapeDataString(project)}/{Uri.EscapeDataString(filename)}";

    public static byte[] RenderRoot(IReadOnlyList<ProjectSummary> projects, SimpleMediaType mediaType)
    {
        var list = new SimpleProjectList(projects
            .OrderBy(p => p.Project, StringComparer.Ordinal)
            .Select(p => new SimpleProjectEntry(p.DisplayName, p.Project))
            .ToList());
        return mediaType == SimpleMediaType.JsonV1 ? SimpleJsonWriter.WriteProjectList(list) : SimpleHtmlWriter.WriteProjectList(list);
    }

    public static byte[] RenderProject(ProjectListing listing, SimpleMediaType mediaType, ProjectStatus? status = null)
    {
        var page = ToPage(listing, status);
        return mediaType == SimpleMediaType.JsonV1 ? SimpleJsonWriter.WriteProjectPage(page) : SimpleHtmlWriter.WriteProjectPage(page);
    }

    /// <summary>Files ordered by version, then filename; versions listed once each, in order. The listing is already gated by <c>ProjectStatuses.Shown</c>.</summary>
    public static SimpleProjectPage ToPage(ProjectListing listing, ProjectStatus? status = null)
    {
        var files = listing.Files
            .Select(f => (File: f, Version: PackageVersion.TryParse(f.Version, out var v) ? v : null))
            .OrderBy(f => f.Version, Comparer<PackageVersion?>.Create(CompareVersions))
            .ThenBy(f => f.File.Filename, StringComparer.Ordinal)
            .ToList();
        var versions = files.Select(f => f.File.Version).Distinct(StringComparer.Ordinal).ToList();
        var entries = files.Select(f => new SimpleFile(
            f.File.Filename,
            FileUrl(listing.Project, f.File.Filename),
            f.File.Digests.Sha256,
            f.File.RequiresPython,
            f.File.CoreMetadataSha256,
            f.File.Yanked,
            f.File.YankedReason,
            f.File.Size,
            f.File.UploadTime)).ToList();
        return new SimpleProjectPage(listing.Project, entries, versions, status);
    }

    private static int CompareVersions(PackageVersion? x, PackageVersion? y) =>
        x is null ? (y is null ? 0 : -1) : y is null ? 1 : x.CompareTo(y);
}
