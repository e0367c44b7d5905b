using PypiLocal.Core.Catalog;

namespace PypiLocal.Api.Web;

/// <summary>One version's files, as the project page lists them.</summary>
internal sealed record ReleaseFiles(string Version, IReadOnlyList<DistributionFile> Files);
