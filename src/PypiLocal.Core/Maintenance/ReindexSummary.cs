namespace PypiLocal.Core.Maintenance;

/// <summary>What a reindex changed: entries added for unindexed objects, entries dropped for missing ones, objects it could not read.</summary>
public sealed record ReindexSummary(int Projects, int Added, int Removed, int Failed, IReadOnlyList<string> Failures);
