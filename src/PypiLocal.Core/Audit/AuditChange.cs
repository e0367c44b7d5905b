using PypiLocal.Core.Catalog;

namespace PypiLocal.Core.Audit;

/// <summary>What changed: the action and its subject (a file with its hashes, a token, a setting), before who, when and where are added.</summary>
public sealed record AuditChange(
    AuditAction Action,
    string? Project = null,
    string? Version = null,
    string? Filename = null,
    long? Size = null,
    FileDigests? Hashes = null,
    string? Detail = null)
{
    /// <summary>A change to one distribution file, with every digest the index knows of it.</summary>
    public static AuditChange OfFile(AuditAction action, DistributionFile file, string? detail = null) =>
        new(action, file.Project, file.Version, file.Filename, file.Size, file.Digests, detail);
}
