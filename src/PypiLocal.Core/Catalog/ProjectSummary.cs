namespace PypiLocal.Core.Catalog;

/// <summary>A project as the root listing shows it.</summary>
/// <param name="Project">PEP 503 normalized name.</param>
/// <param name="DisplayName">The name as the newest upload's metadata spells it, else the normalized name.</param>
public sealed record ProjectSummary(string Project, string DisplayName);
