namespace PypiLocal.Core.Maintenance;

/// <summary>One file handled by an import: its position in the run, its path and what happened to it.</summary>
public sealed record ImportProgress(int Done, int Total, string Path, ImportItemOutcome Outcome, string? Error = null);
