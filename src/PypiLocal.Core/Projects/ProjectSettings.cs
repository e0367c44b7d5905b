namespace PypiLocal.Core.Projects;

/// <summary>An operator's settings for one project (section <c>Projects:&lt;name&gt;</c>).</summary>
public sealed class ProjectSettings
{
    /// <summary>PEP 792 status: active, archived, quarantined or deprecated.</summary>
    public string? Status { get; set; }

    /// <summary>Why, shown to clients beside the status.</summary>
    public string? StatusReason { get; set; }
}
