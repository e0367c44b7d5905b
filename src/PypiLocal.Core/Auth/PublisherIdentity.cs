namespace PypiLocal.Core.Auth;

/// <summary>
/// The trusted publisher behind an upload: the OIDC issuer and the verified claims of the identity token that
/// minted the upload token (for GitHub Actions <c>repository</c>, <c>workflow_ref</c>, <c>environment</c>, …;
/// for GitLab <c>project_path</c>, <c>ci_config_ref_uri</c>, …). PEP 740 attestations are checked against it:
/// the signing certificate must name the same publisher.
/// </summary>
/// <param name="Issuer">The token's <c>iss</c>, e.g. <c>https://token.actions.githubusercontent.com</c>.</param>
/// <param name="Claims">The token's string claims, by claim name.</param>
public sealed record PublisherIdentity(string Issuer, IReadOnlyDictionary<string, string> Claims)
{
    /// <summary>A claim's value, or null when the token had none (or an empty one).</summary>
    public string? Claim(string name) => Claims.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
}
