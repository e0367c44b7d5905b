using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Pages;
using PypiLocal.Protocol.Names;
using PypiLocal.Protocol.Simple;

namespace PypiLocal.Core.Projects;

/// <summary>
/// The PEP 792 status of each project, and the one gate every path asks: what pages show (<see cref="Shown"/>),
/// what downloads and the JSON API serve (<see cref="ServesFiles"/>), which uploads are refused (<see cref="UploadRefusal"/>).
/// See docs/protocol.md#project-status.
/// </summary>
public sealed class ProjectStatuses(IOptions<ProjectStatusOptions> options)
{
    private readonly Dictionary<string, ProjectStatus> _statuses = options.Value.Projects
        .Where(p => !string.IsNullOrWhiteSpace(p.Value.Status))
        .ToDictionary(p => ProjectName.Normalize(p.Key), p => new ProjectStatus(p.Value.Status!.Trim().ToLowerInvariant(), p.Value.StatusReason), StringComparer.Ordinal);

    /// <summary>No statuses set: every project active.</summary>
    public static ProjectStatuses None { get; } = new(Options.Create(new ProjectStatusOptions()));

    /// <summary>The status set for a (normalized) project, or null when none is set (active).</summary>
    public ProjectStatus? For(string project) => _statuses.GetValueOrDefault(project);

    public bool HidesFiles(string project) => For(project)?.HidesFiles == true;

    public bool RefusesUploads(string project) => For(project)?.RefusesUploads == true;

    /// <summary>
    /// The gate for pages (simple and web): the listing as clients may see it. A quarantined project keeps
    /// its name, display name and status, and lists no files.
    /// </summary>
    public ProjectListing Shown(ProjectListing listing) => HidesFiles(listing.Project) ? listing with { Files = [] } : listing;

    /// <summary>
    /// The same gate for a project page's view, whose status is the operator's or else the upstream's (passed through):
    /// a status that hides files leaves no files and no versions.
    /// </summary>
    [SuppressMessage("Performance", "CA1822", Justification = "Part of the gate's instance API beside the other checks; callers hold the instance.")]
    public ProjectView Shown(ProjectView view) => view.Status?.HidesFiles == true ? view with { Files = [], Versions = [] } : view;

    /// <summary>The gate for files: whether downloads, <c>.metadata</c> and the JSON API may serve a (normalized) project.</summary>
    public bool ServesFiles(string project) => !HidesFiles(project);

    /// <summary>The gate for uploads: why the project accepts none (archived, quarantined), or null when it does.</summary>
    public string? UploadRefusal(string project) =>
        For(project) is { RefusesUploads: true } status
            ? $"Project '{project}' is {status.Status}{(status.Reason is null ? "" : $" ({status.Reason})")} and accepts no uploads."
            : null;

    /// <summary>Every configuration error, with its key; empty when the settings are good.</summary>
    public static IEnumerable<string> Validate(ProjectStatusOptions options) =>
        options.Projects
            .Where(p => !ProjectName.IsValid(p.Key)
                || (p.Value.Status is { } status && !ProjectStatus.Known.Contains(status.Trim().ToLowerInvariant())))
            .Select(p => $"Projects:{p.Key}:Status must name a valid project and be one of {string.Join(", ", ProjectStatus.Known)} (was '{p.Value.Status}').");
}
