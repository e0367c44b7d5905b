using Microsoft.Extensions.Primitives;
using PypiLocal.Api.Web;

namespace PypiLocal.Api.Security;

/// <summary>
/// The headers every answer carries, computed once: the pages load nothing but their own inline style sheet and
/// images from allowed sources, run no script, cannot be framed, and nothing is sniffed into another type.
/// Set before the endpoint runs, so the hot index pages pay a few header assignments and no allocation.
/// </summary>
internal sealed class SecurityHeaders(ImageSources images)
{
    private static readonly StringValues NoSniff = "nosniff";
    private static readonly StringValues SameOrigin = "same-origin";

    private readonly StringValues _contentSecurityPolicy =
        $"default-src 'none'; style-src '{WebLayout.StyleHash}'; img-src 'self'{images.CspSources}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public string ContentSecurityPolicy => _contentSecurityPolicy.ToString();

    public void Apply(IHeaderDictionary headers)
    {
        headers.ContentSecurityPolicy = _contentSecurityPolicy;
        headers.XContentTypeOptions = NoSniff;

        // Private project names in this index's URLs stay out of the logs of the sites its pages link to.
        headers["Referrer-Policy"] = SameOrigin;
    }
}
