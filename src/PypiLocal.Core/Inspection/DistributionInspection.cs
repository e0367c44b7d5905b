using System.Security.Cryptography;
using PypiLocal.Core.Catalog;
using PypiLocal.Protocol.Filenames;

namespace PypiLocal.Core.Inspection;

/// <summary>What reading a distribution file once tells the index.</summary>
/// <param name="Filename">The parsed filename.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Digests">SHA-256, MD5 and BLAKE2b-256 of the whole file.</param>
/// <param name="CoreMetadata">The raw METADATA (wheel) or PKG-INFO (sdist) bytes, or null when none was found.</param>
/// <param name="MetadataName">The Name field of that metadata, or null.</param>
/// <param name="MetadataVersion">The Version field of that metadata, or null.</param>
/// <param name="RequiresPython">The Requires-Python field, or null.</param>
public sealed record DistributionInspection(
    DistributionFilename Filename,
    long Size,
    FileDigests Digests,
    byte[]? CoreMetadata,
    string? MetadataName,
    string? MetadataVersion,
    string? RequiresPython)
{
    /// <summary>Lowercase hex SHA-256 of the whole file.</summary>
    public string Sha256 => Digests.Sha256;

    /// <summary>The bytes served as <c>&lt;file&gt;.metadata</c>: wheels only (docs/protocol.md#core-metadata-file).</summary>
    public byte[]? ServedCoreMetadata => Filename.Kind == DistributionKind.Wheel ? CoreMetadata : null;

    /// <summary>The index facts this inspection gives, for a file first seen at <paramref name="seen"/>.</summary>
    public DistributionFile ToFile(DateTimeOffset seen) => new(
        Filename.Project,
        Filename.Filename,
        Filename.Version.ToString(),
        Filename.Kind,
        Size,
        Digests,
        seen.ToUniversalTime(),
        DisplayName: MetadataName,
        RequiresPython: RequiresPython,
        CoreMetadataSha256: ServedCoreMetadata is { } served ? Convert.ToHexStringLower(SHA256.HashData(served)) : null);
}
