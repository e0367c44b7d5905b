using Microsoft.Extensions.Options;
using PypiLocal.Protocol.Names;
using PypiLocal.Protocol.Simple;

namespace PypiLocal.Core.Projects;

/// <summary>The PEP 792 status of each project: what pages show, downloads serve and uploads accept.</summary>
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

    /// <summary>Every configuration error, with its key; empty when the settings are good.</summary>
    public static IEnumerable<string> Validate(ProjectStatusOptions options) =>
        options.Projects
            .Where(p => !ProjectName.IsValid(p.Key)
                || (p.Value.Status is { } status && !ProjectStatus.Known.Contains(status.Trim().ToLowerInvariant())))
            .Select(p => $"Projects:{p.Key}:Status must name a valid project and be one of {string.Join(", ", ProjectStatus.Known)} (was '{p.Value.Status}').");
}
