namespace PypiLocal.Core.Projects;

/// <summary>
/// Per-project settings from configuration, e.g. <c>Projects__old-lib__Status=archived</c>: set by the
/// operator, the same on every node (a ConfigMap in Kubernetes), so no storage backend needs to know.
/// </summary>
public sealed class ProjectStatusOptions
{
    public const string SectionName = "Projects";

    /// <summary>Project name (any spelling) → its settings.</summary>
    public Dictionary<string, ProjectSettings> Projects { get; } = new(StringComparer.OrdinalIgnoreCase);
}
