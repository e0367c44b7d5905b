using PypiLocal.Core.Hashing;

namespace PypiLocal.Core.Indexing;

/// <summary>How the index writes its pages and treats names it does not hold (section <c>Index</c>).</summary>
public sealed class IndexOptions
{
    public const string SectionName = "Index";

    /// <summary>
    /// The digest in index links, as pypiserver's <c>--hash-algo</c>: md5, sha1, sha256 (default), sha512, or off
    /// (also 0, no, false). JSON pages list sha256 whatever this says, beside the chosen one.
    /// </summary>
    public string HashAlgorithm { get; set; } = "sha256";

    /// <summary>
    /// Where to send a client asking for a project this index does not hold (pypiserver's <c>--fallback-url</c>), or
    /// null (the default of <c>serve</c>) to answer 404: a private index sends names elsewhere only when asked to.
    /// </summary>
    public string? FallbackUrl { get; set; }

    /// <summary>
    /// The path prefix the index is reached under behind a proxy (pypiserver's <c>--server-base-url</c>), e.g.
    /// <c>/pypi/</c>; a full URL's path counts. Links and redirects carry it; requests may come with or without it.
    /// </summary>
    public string? ServerBaseUrl { get; set; }

    /// <summary>The parsed <see cref="HashAlgorithm"/>; throws <see cref="FormatException"/> for anything else.</summary>
    public LinkHash LinkHash => ParseHashAlgorithm(HashAlgorithm);

    /// <summary>The prefix from <see cref="ServerBaseUrl"/> as a path base: "" or "/segment[/segment…]" without a trailing slash.</summary>
    public string BasePath => NormalizeBasePath(ServerBaseUrl);

    public static LinkHash ParseHashAlgorithm(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "md5" => LinkHash.Md5,
        "sha1" => LinkHash.Sha1,
        "sha256" or null or "" => LinkHash.Sha256,
        "sha512" => LinkHash.Sha512,
        "off" or "0" or "no" or "false" or "n" or "f" => LinkHash.Off,
        var other => throw new FormatException(
            $"Hash algorithm '{other}' is not available here. Use md5, sha1, sha256 or sha512, or turn link hashes off with 'off', '0', 'no' or 'false'."),
    };

    /// <summary>The name written in links for a link hash, or null for none.</summary>
    public static string? AlgorithmName(LinkHash hash) => hash switch
    {
        LinkHash.Off => null,
        _ => hash.ToString().ToLowerInvariant(),
    };

    public static string NormalizeBasePath(string? serverBaseUrl)
    {
        if (string.IsNullOrWhiteSpace(serverBaseUrl))
        {
            return "";
        }

        var path = Uri.TryCreate(serverBaseUrl, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https"
            ? absolute.AbsolutePath
            : serverBaseUrl.Trim();
        path = "/" + path.Trim('/');
        return path == "/" ? "" : path;
    }
}
