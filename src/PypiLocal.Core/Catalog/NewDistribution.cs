namespace PypiLocal.Core.Catalog;

/// <summary>A checked distribution ready to store: its facts, its bytes in a staged file, and its core metadata.</summary>
/// <param name="File">The facts to index.</param>
/// <param name="StagedPath">A local temporary file holding exactly the distribution's bytes.</param>
/// <param name="CoreMetadata">The wheel's METADATA bytes to serve as <c>.metadata</c>, or null for sdists.</param>
/// <param name="Provenance">The verified PEP 740 provenance object (its hash in <see cref="DistributionFile.ProvenanceSha256"/>), or null.</param>
public sealed record NewDistribution(DistributionFile File, string StagedPath, byte[]? CoreMetadata, byte[]? Provenance = null);
