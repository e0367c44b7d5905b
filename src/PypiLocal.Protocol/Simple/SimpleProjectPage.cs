namespace PypiLocal.Protocol.Simple;

/// <summary>One project's page.</summary>
/// <param name="Name">The normalized project name.</param>
/// <param name="Files">The files, in the order to list them.</param>
/// <param name="Versions">Every version with files (normal form, no duplicates), and any file-less versions.</param>
/// <param name="Status">The PEP 792 status when one is set; then the page says so (HTML 1.4 meta tags, JSON api-version 1.4).</param>
public sealed record SimpleProjectPage(string Name, IReadOnlyList<SimpleFile> Files, IReadOnlyList<string> Versions, ProjectStatus? Status = null)
{
    /// <summary>
    /// The API version the page needs: 1.4 with a project status (PEP 792), 1.3 with provenance (PEP 740), 1.0 when a
    /// file's size is unknown (proxied from an HTML-only upstream: 1.1 requires sizes), else 1.1.
    /// HTML and JSON share the numbering.
    /// </summary>
    public string ApiVersion =>
        Status is not null ? "1.4"
        : Files.Any(f => f.ProvenanceUrl is not null) ? "1.3"
        : Files.All(f => f.Size is not null) ? "1.1"
        : "1.0";
}

/// <summary>One distribution file as the Simple API lists it.</summary>
/// <param name="Filename">The filename (equal to the URL's last path segment).</param>
/// <param name="Url">The URL, absolute or relative to the page; no hash fragment.</param>
/// <param name="Sha256">Lowercase hex SHA-256 of the file.</param>
/// <param name="RequiresPython">Raw Requires-Python, or null.</param>
/// <param name="CoreMetadataSha256">SHA-256 of the served <c>.metadata</c> file, or null when none is served.</param>
/// <param name="Yanked">Whether the file is yanked.</param>
/// <param name="YankedReason">The reason, or null (never empty).</param>
/// <param name="Size">Size in bytes, or null when unknown (an upstream HTML page gives none).</param>
/// <param name="UploadTime">When the file was uploaded, or null.</param>
/// <param name="ProvenanceUrl">The absolute URL of the file's PEP 740 provenance, or null when it has none.</param>
/// <param name="OtherHashes">Digests besides sha256 to list in JSON <c>hashes</c> (lowercase algorithm name → hex), or null.</param>
/// <param name="LinkHash">
/// The algorithm whose digest the HTML link carries as its <c>#name=hex</c> fragment (pypiserver's <c>--hash-algo</c>):
/// <c>sha256</c> by default, another key of <paramref name="OtherHashes"/>, or null for no fragment.
/// </param>
public sealed record SimpleFile(
    string Filename,
    string Url,
    string Sha256,
    string? RequiresPython,
    string? CoreMetadataSha256,
    bool Yanked,
    string? YankedReason,
    long? Size,
    DateTimeOffset? UploadTime,
    string? ProvenanceUrl = null,
    IReadOnlyDictionary<string, string>? OtherHashes = null,
    string? LinkHash = "sha256")
{
    /// <summary>The link's <c>#name=hex</c> fragment, or "" when links carry none (or that digest is not known: then sha256's).</summary>
    public string LinkFragment => LinkHash switch
    {
        null => "",
        "sha256" => $"#sha256={Sha256}",
        _ when OtherHashes?.GetValueOrDefault(LinkHash) is { } hex => $"#{LinkHash}={hex}",
        _ => $"#sha256={Sha256}",
    };
}
