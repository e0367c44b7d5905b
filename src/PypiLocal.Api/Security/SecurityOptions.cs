namespace PypiLocal.Api.Security;

/// <summary>What browsers and proxies may do (section "Security"); validated on start by <see cref="SecurityOptionsValidator"/>.</summary>
internal sealed class SecurityOptions
{
    public const string SectionName = "Security";

    /// <summary>
    /// The address people and tools reach this index at when it differs from what the node sees (a proxy that does
    /// not forward its host, a path prefix): its origin counts as the index's own for <see cref="CrossSiteRequestGuard"/>.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>
    /// Proxies (addresses, or networks as <c>10.0.0.0/8</c>) whose <c>X-Forwarded-For</c>, <c>-Proto</c> and
    /// <c>-Host</c> are believed. Empty: only loopback's, so a client cannot claim another address or scheme.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>
    /// Where images in rendered descriptions may load from: origins such as <c>https://img.shields.io</c>, or
    /// <c>https:</c> for any. Empty (the default): no third party learns who reads a project page; the image becomes a link.
    /// </summary>
    public List<string> ImageSources { get; set; } = [];

    /// <summary>The origin (<c>scheme://host[:port]</c>) of <see cref="PublicUrl"/>, or null.</summary>
    public string? PublicOrigin() =>
        Uri.TryCreate(PublicUrl, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : null;
}
