using PypiLocal.Protocol.Simple;

namespace PypiLocal.Api.Web;

/// <summary>What a project's web page shows, built from the index and the latest release's core metadata.</summary>
/// <param name="Project">The normalized name.</param>
/// <param name="LatestVersion">The release PyPI would call latest, or null when no version parses (or files are hidden).</param>
/// <param name="DescriptionHtml">The long description as safe HTML, or null when there is none.</param>
/// <param name="Status">The PEP 792 status, or null when active.</param>
/// <param name="Releases">Every release, newest first; empty when the status hides files.</param>
internal sealed record ProjectPageModel(
    string Project,
    string DisplayName,
    string? LatestVersion,
    string? Summary,
    string? DescriptionHtml,
    string? RequiresPython,
    IReadOnlyList<string> RequiresDist,
    ProjectStatus? Status,
    IReadOnlyList<ReleaseFiles> Releases);
