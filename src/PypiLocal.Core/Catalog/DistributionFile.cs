using System.Text.Json.Serialization;
using PypiLocal.Protocol.Filenames;

namespace PypiLocal.Core.Catalog;

/// <summary>
/// What the index knows about one distribution file. Computed once, when the file arrives
/// (upload, import, or first sight in a folder), and kept beside the file; never per request.
/// </summary>
/// <param name="Project">PEP 503 normalized project name.</param>
/// <param name="Filename">The distribution's filename.</param>
/// <param name="Version">The version in normal form, as parsed from the filename.</param>
/// <param name="Kind">Wheel or sdist.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Digests">The file's digests (sha256 always).</param>
/// <param name="UploadTime">When the file was uploaded (or first seen).</param>
/// <param name="DisplayName">The project name as the file's metadata spells it, or null when unknown.</param>
/// <param name="RequiresPython">Requires-Python from the metadata, or null.</param>
/// <param name="CoreMetadataSha256">SHA-256 of the served <c>.metadata</c> file (wheels), or null when none is served.</param>
/// <param name="Yanked">Whether the file is yanked (PEP 592).</param>
/// <param name="YankedReason">Why it was yanked, or null.</param>
/// <param name="Uploader">Who uploaded it, or null.</param>
/// <param name="StorageKey">
/// Where a bucket keeps the bytes when not at the filename's own key: each upload writes to a key of its own and
/// this entry, written last, is what makes it visible. Null for folders and for entries older than that layout.
/// </param>
/// <param name="ProvenanceSha256">
/// SHA-256 of the PEP 740 provenance object kept beside the file, made from attestations verified at upload, or
/// null when the file has none. Only files with one advertise provenance.
/// </param>
public sealed record DistributionFile(
    string Project,
    string Filename,
    string Version,
    DistributionKind Kind,
    long Size,
    FileDigests Digests,
    DateTimeOffset UploadTime,
    string? DisplayName = null,
    string? RequiresPython = null,
    string? CoreMetadataSha256 = null,
    // CoreMetadataSha256 is declared in the body, which JSON would write after these: the order keeps records as they were.
    [property: JsonPropertyOrder(1)] bool Yanked = false,
    [property: JsonPropertyOrder(1)] string? YankedReason = null,
    [property: JsonPropertyOrder(1)] string? Uploader = null,
    [property: JsonPropertyOrder(1)] string? StorageKey = null,
    [property: JsonPropertyOrder(1)] string? ProvenanceSha256 = null)
{
    // Every wheel has one, and the facts of every file stay in memory: kept as bytes like the file's own digests.
    private readonly HexDigest _coreMetadataSha256 = HexDigest.From(CoreMetadataSha256);

    public string? CoreMetadataSha256 { get => _coreMetadataSha256.Text; init => _coreMetadataSha256 = HexDigest.From(value); }

    /// <summary><see cref="CoreMetadataSha256"/> as it is kept, to compare and hash without making its text.</summary>
    internal HexDigest CoreMetadataDigest => _coreMetadataSha256;
}
