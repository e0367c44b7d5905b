namespace PypiLocal.Core.TrustedPublishing;

/// <summary>
/// Trusted publishing (section "TrustedPublishing"): the OIDC issuers this index believes, which of their
/// identities may publish which projects, and how long the upload tokens it mints live. Off while no publisher is set.
/// </summary>
public sealed class TrustedPublishingOptions
{
    public const string SectionName = "TrustedPublishing";

    /// <summary>The audience identity tokens must be made for; <c>GET /_/oidc/audience</c> tells CI which.</summary>
    public string Audience { get; set; } = "pypilocal";

    /// <summary>How long a minted upload token works (PyPI: 15 minutes).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public List<OidcIssuerSettings> Issuers { get; set; } = [];

    public List<TrustedPublisherSettings> Publishers { get; set; } = [];

    public bool Enabled => Publishers.Count > 0;
}

/// <summary>An OIDC issuer whose identity tokens are believed.</summary>
public sealed class OidcIssuerSettings
{
    /// <summary>The issuer exactly as its tokens name it in <c>iss</c> (<c>https://token.actions.githubusercontent.com</c>).</summary>
    public string Url { get; set; } = "";

    /// <summary>A pinned JWKS file for air-gapped sites; unset, the keys come from the issuer's discovery document.</summary>
    public string? JwksFile { get; set; }
}

/// <summary>One trusted publisher: the claims an identity token must carry, and the projects it may then publish.</summary>
public sealed class TrustedPublisherSettings
{
    /// <summary>The issuer's URL, one of <see cref="TrustedPublishingOptions.Issuers"/>.</summary>
    public string Issuer { get; set; } = "";

    /// <summary>
    /// Claim name → required value (GitHub: <c>repository</c>, <c>workflow_ref</c>, <c>environment</c>, <c>ref</c>;
    /// GitLab: <c>project_path</c>, <c>ci_config_ref_uri</c>). A value ending in <c>*</c> requires that prefix.
    /// </summary>
    public Dictionary<string, string> Claims { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The projects (any spelling) an upload token minted for this publisher may change.</summary>
    public List<string> Projects { get; set; } = [];

    /// <summary>Whether <paramref name="claims"/> (a verified token's) satisfy every required claim.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> claims) =>
        Claims.Count > 0 && Claims.All(required => claims.TryGetValue(required.Key, out var value) && ClaimMatches(required.Value, value));

    private static bool ClaimMatches(string required, string value) =>
        required.EndsWith('*') ? value.StartsWith(required[..^1], StringComparison.Ordinal) : value == required;
}
