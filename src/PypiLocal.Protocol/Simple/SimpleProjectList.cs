namespace PypiLocal.Protocol.Simple;

/// <summary>The root page: every project, with its display name and normalized name.</summary>
public sealed record SimpleProjectList(IReadOnlyList<SimpleProjectEntry> Projects);

/// <param name="Name">The display name (from the newest upload's metadata, else the normalized name).</param>
/// <param name="NormalizedName">The PEP 503 normalized name, used in URLs.</param>
public sealed record SimpleProjectEntry(string Name, string NormalizedName);
