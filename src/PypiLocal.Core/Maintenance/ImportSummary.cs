namespace PypiLocal.Core.Maintenance;

/// <summary>The totals of an import run; <see cref="Failures"/> lists each failed or conflicting file with the reason.</summary>
public sealed record ImportSummary(int Added, int Skipped, int Conflicts, int Failed, int Ignored, IReadOnlyList<ImportProgress> Failures);
