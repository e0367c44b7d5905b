using PypiLocal.Api.Security;
using PypiLocal.Core.Catalog;
using PypiLocal.Protocol.Json;
using PypiLocal.Protocol.Metadata;
using PypiLocal.Protocol.Simple;
using PypiLocal.Protocol.Versions;

namespace PypiLocal.Api.Web;

/// <summary>Builds a project page's model from facts already read; no I/O, so every rule is unit-testable.</summary>
internal static class ProjectPageBuilder
{
    /// <summary>Releases newest first; versions that do not parse come last, in filename order.</summary>
    public static IReadOnlyList<ReleaseFiles> Releases(ProjectListing listing) =>
        [.. listing.Files
            .GroupBy(f => f.Version, StringComparer.Ordinal)
            .Select(g => (Parsed: PackageVersion.TryParse(g.Key, out var v) ? v : null, Release: new ReleaseFiles(g.Key, [.. g.OrderBy(f => f.Filename, StringComparer.Ordinal)])))
            .OrderBy(r => r.Parsed is null)
            .ThenByDescending(r => r.Parsed)
            .ThenBy(r => r.Release.Version, StringComparer.Ordinal)
            .Select(r => r.Release)];

    /// <summary>PyPI's latest release (<see cref="LatestRelease"/>): a release is yanked when all its files are.</summary>
    public static ReleaseFiles? Latest(IReadOnlyList<ReleaseFiles> releases) =>
        LatestRelease.Pick(
            releases.Where(r => PackageVersion.TryParse(r.Version, out _)),
            r => PackageVersion.Parse(r.Version),
            r => r.Files.All(f => f.Yanked));

    /// <summary>The page of a listing already gated by <c>ProjectStatuses.Shown</c>, with its latest release's metadata.</summary>
    public static ProjectPageModel Build(ProjectListing listing, ProjectStatus? status, CoreMetadata? metadata, ImageSources? images = null)
    {
        var releases = Releases(listing);
        var latest = Latest(releases);
        return new ProjectPageModel(
            listing.Project,
            metadata?.Name is { Length: > 0 } name ? name : listing.DisplayName,
            latest?.Version,
            metadata?.Summary is { Length: > 0 } summary ? summary : null,
            metadata?.Description is { } description ? DescriptionRenderer.ToHtml(description, metadata.Get("Description-Content-Type"), images ?? ImageSources.None) : null,
            metadata?.RequiresPython ?? latest?.Files.Select(f => f.RequiresPython).FirstOrDefault(r => r is not null),
            metadata?.RequiresDist ?? [],
            status,
            releases);
    }
}
