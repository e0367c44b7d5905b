namespace PypiLocal.Protocol.Simple;

/// <summary>
/// A project's PEP 792 status (repository version 1.4): <c>active</c>, <c>archived</c> (no new uploads),
/// <c>quarantined</c> (nothing listed, nothing served, no uploads) or <c>deprecated</c>, with an optional reason.
/// </summary>
public sealed record ProjectStatus(string Status, string? Reason = null)
{
    public const string Active = "active";
    public const string Archived = "archived";
    public const string Quarantined = "quarantined";
    public const string Deprecated = "deprecated";

    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal) { Active, Archived, Quarantined, Deprecated };

    /// <summary>A quarantined project lists no files and serves none.</summary>
    public bool HidesFiles => Status == Quarantined;

    /// <summary>Archived and quarantined projects take no uploads.</summary>
    public bool RefusesUploads => Status is Archived or Quarantined;
}
