namespace PypiLocal.Core.Catalog;

/// <summary>Every file of one project, with the facts the index pages need.</summary>
public sealed record ProjectListing(string Project, string DisplayName, IReadOnlyList<DistributionFile> Files);
