using PypiLocal.Core.Catalog;
using PypiLocal.Core.Indexing;
using PypiLocal.Protocol.Simple;
using PypiLocal.Protocol.Versions;

namespace PypiLocal.Core.Pages;

/// <summary>Turns catalog listings and project views into Simple API models and bytes. Pure: no I/O, no cache.</summary>
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

    public static byte[] RenderProject(ProjectView view, SimpleMediaType mediaType)
    {
        var page = ToPage(view);
        return mediaType == SimpleMediaType.JsonV1 ? SimpleJsonWriter.WriteProjectPage(page) : SimpleHtmlWriter.WriteProjectPage(page);
    }

    /// <summary>
    /// Files ordered by version, then filename; versions listed once each, in order, with the view's file-less versions
    /// among them. The view is already gated by <c>ProjectStatuses.Shown</c>.
    /// </summary>
    public static SimpleProjectPage ToPage(ProjectView view)
    {
        // Each version string parsed once, however often the sort compares it.
        var parsed = view.Files.Select(f => f.Version).Concat(view.Versions).Distinct(StringComparer.Ordinal)
            .ToDictionary(v => v, v => PackageVersion.TryParse(v, out var version) ? version : null, StringComparer.Ordinal);
        var versionOrder = Comparer<string>.Create((x, y) => CompareVersions(parsed[x], parsed[y]));
        var files = view.Files
            .OrderBy(f => f.Version, versionOrder)
            .ThenBy(f => f.Entry.Filename, StringComparer.Ordinal)
            .ToList();
        var versions = files.Select(f => f.Version).Concat(view.Versions)
            .Distinct(StringComparer.Ordinal)
            .OrderBy(v => v, versionOrder)
            .ToList();
        return new SimpleProjectPage(view.Project, files.Select(f => f.Entry).ToList(), versions, view.Status);
    }

    /// <summary>A local project's view: its files with their URLs on this index, written as <paramref name="links"/> says.</summary>
    public static ProjectView ViewOf(ProjectListing listing, ProjectStatus? status = null, PageLinks? links = null)
    {
        links ??= PageLinks.Default;
        var linkHash = IndexOptions.AlgorithmName(links.Hash);
        return new(
            listing.Project,
            listing.Files.Select(f => new ViewFile(
                new SimpleFile(
                    f.Filename,
                    FileUrl(listing.Project, f.Filename, links.BasePath),
                    f.Digests.Sha256,
                    f.RequiresPython,
                    f.CoreMetadataSha256,
                    f.Yanked,
                    f.YankedReason,
                    f.Size,
                    f.UploadTime,
                    f.ProvenanceSha256 is null ? null : ProvenanceLinks.CachedLink(listing.Project, f.Version, f.Filename),
                    OtherHashes(f.Digests, linkHash),
                    linkHash),
                f.Version,
                null)).ToList(),
            [],
            status);
    }

    /// <summary>The link's digest when it is not sha256 (and known), so JSON lists it beside sha256.</summary>
    private static Dictionary<string, string>? OtherHashes(FileDigests digests, string? linkHash) =>
        linkHash is null or "sha256" || digests.For(linkHash) is not { } hex ? null : new() { [linkHash] = hex };

    private static int CompareVersions(PackageVersion? x, PackageVersion? y) =>
        x is null ? (y is null ? 0 : -1) : y is null ? 1 : x.CompareTo(y);
}
