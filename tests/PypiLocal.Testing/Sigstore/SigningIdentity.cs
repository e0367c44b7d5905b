namespace PypiLocal.Testing.Sigstore;

/// <summary>
/// A GitHub Actions workflow run, as Fulcio writes it into a certificate and as the OIDC token that minted the
/// upload token states it. <see cref="TokenClaims"/> gives the token's side, for the upload's publisher identity.
/// </summary>
public sealed record SigningIdentity(
    string Repository = "acme/widgets",
    string Workflow = "release.yml",
    string Ref = "refs/tags/v1.0",
    string Sha = "0123456789abcdef0123456789abcdef01234567",
    string Issuer = SigningIdentity.GitHubIssuer)
{
    public const string GitHubIssuer = "https://token.actions.githubusercontent.com";

    public string WorkflowPath => $"{Repository}/.github/workflows/{Workflow}";

    /// <summary>The claims of the run's GitHub OIDC token that identify the publisher.</summary>
    public IReadOnlyDictionary<string, string> TokenClaims => new Dictionary<string, string>
    {
        ["repository"] = Repository,
        ["workflow_ref"] = $"{WorkflowPath}@{Ref}",
        ["job_workflow_ref"] = $"{WorkflowPath}@{Ref}",
        ["ref"] = Ref,
        ["sha"] = Sha,
        ["environment"] = "pypi",
    };

    /// <summary>Fulcio's extensions for this run (OID to value), as a GitHub Actions certificate has them.</summary>
    public IReadOnlyDictionary<string, string> CertificateClaims => new Dictionary<string, string>
    {
        ["1.3.6.1.4.1.57264.1.8"] = Issuer,
        ["1.3.6.1.4.1.57264.1.9"] = $"https://github.com/{WorkflowPath}@{Ref}",
        ["1.3.6.1.4.1.57264.1.10"] = Sha,
        ["1.3.6.1.4.1.57264.1.11"] = "github-hosted",
        ["1.3.6.1.4.1.57264.1.12"] = $"https://github.com/{Repository}",
        ["1.3.6.1.4.1.57264.1.13"] = Sha,
        ["1.3.6.1.4.1.57264.1.14"] = Ref,
        ["1.3.6.1.4.1.57264.1.18"] = $"https://github.com/{WorkflowPath}@{Ref}",
        ["1.3.6.1.4.1.57264.1.19"] = Sha,
        ["1.3.6.1.4.1.57264.1.20"] = "push",
    };

    /// <summary>The certificate's subject alternative name (a URI for workflows).</summary>
    public Uri SubjectAlternativeName => new($"https://github.com/{WorkflowPath}@{Ref}");
}
