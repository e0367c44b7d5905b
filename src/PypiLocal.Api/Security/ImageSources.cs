using Microsoft.Extensions.Options;

namespace PypiLocal.Api.Security;

/// <summary>
/// Which remote images a rendered description may show (<see cref="SecurityOptions.ImageSources"/>): the renderer asks
/// <see cref="Allows"/>, and the Content-Security-Policy's <c>img-src</c> says the same to the browser.
/// </summary>
internal sealed class ImageSources
{
    private const string AnyHttps = "https:";

    private readonly string[] _origins;
    private readonly bool _anyHttps;

    public ImageSources(IOptions<SecurityOptions> options)
        : this(options.Value.ImageSources)
    {
    }

    private ImageSources(IEnumerable<string> sources)
    {
        var list = sources.Select(s => s.Trim()).ToList();
        _anyHttps = list.Contains(AnyHttps, StringComparer.OrdinalIgnoreCase);
        _origins = [.. list.Where(s => !s.Equals(AnyHttps, StringComparison.OrdinalIgnoreCase)).Select(s => new Uri(s).GetLeftPart(UriPartial.Authority))];
        CspSources = string.Concat(list.Select(s => " " + (s.Equals(AnyHttps, StringComparison.OrdinalIgnoreCase) ? AnyHttps : new Uri(s).GetLeftPart(UriPartial.Authority))));
    }

    /// <summary>Only this index's own images: the default.</summary>
    public static ImageSources None { get; } = new([]);

    public static ImageSources Of(params string[] sources) => new(sources);

    /// <summary>The sources after <c>'self'</c> in <c>img-src</c>, each with a leading space; empty by default.</summary>
    public string CspSources { get; }

    public static bool IsValidSource(string source) =>
        source.Trim().Equals(AnyHttps, StringComparison.OrdinalIgnoreCase)
        || (Uri.TryCreate(source.Trim(), UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && uri.PathAndQuery == "/" && uri.Fragment.Length == 0);

    /// <summary>True for a relative URL (this index's own) and for a remote one from an allowed source.</summary>
    public bool Allows(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return true;
        }

        if (url.Length > 1 && url[0] is '/' or '\\' && url[1] is '/' or '\\')
        {
            return false; // scheme-relative ("//host", and "/\\host" which browsers read the same): a remote host
        }

        // "/logo.png" parses as an absolute file URI on Unix; only http(s) URLs name another host.
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return true;
        }

        return (_anyHttps && uri.Scheme == Uri.UriSchemeHttps)
            || _origins.Contains(uri.GetLeftPart(UriPartial.Authority), StringComparer.OrdinalIgnoreCase);
    }
}
