using PypiLocal.Protocol.Filenames;

namespace PypiLocal.Protocol.Json;

/// <summary>One distribution file as the PyPI JSON API lists it (in <c>urls</c> and <c>releases</c>).</summary>
/// <param name="Filename">The filename.</param>
/// <param name="Url">The download URL (absolute, as PyPI gives it; no hash fragment).</param>
/// <param name="Kind">Wheel or sdist: <c>packagetype</c> and <c>python_version</c> follow from it and the filename.</param>
/// <param name="Sha256">Lowercase hex SHA-256.</param>
/// <param name="Md5">Lowercase hex MD5, or null when not computed.</param>
/// <param name="Blake2b256">Lowercase hex BLAKE2b-256, or null when not computed.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="UploadTime">When the file was uploaded.</param>
/// <param name="RequiresPython">Raw Requires-Python, or null.</param>
/// <param name="CoreMetadataSha256">SHA-256 of the served <c>.metadata</c>, or null when none is served.</param>
/// <param name="Yanked">Whether the file is yanked.</param>
/// <param name="YankedReason">Why, or null.</param>
public sealed record PypiJsonFile(
    string Filename,
    string Url,
    DistributionKind Kind,
    string Sha256,
    string? Md5,
    string? Blake2b256,
    long Size,
    DateTimeOffset UploadTime,
    string? RequiresPython,
    string? CoreMetadataSha256,
    bool Yanked,
    string? YankedReason);
