using System.Text.Json.Nodes;
using PypiLocal.Core.Auth;

namespace PypiLocal.Core.Attestations;

/// <summary>
/// GitHub Actions. The token's <c>repository</c> ("owner/repo") and <c>workflow_ref</c>
/// ("owner/repo/.github/workflows/release.yml@refs/tags/v1") appear in the certificate as the Source Repository URI
/// <c>https://github.com/owner/repo</c> and Build Config URI <c>https://github.com/owner/repo/.github/workflows/release.yml@ref</c>.
/// </summary>
internal sealed class GitHubPublisherKind : ITrustedPublisherKind
{
    public const string Issuer = "https://token.actions.githubusercontent.com";

    public bool Recognizes(PublisherIdentity publisher) =>
        publisher.Issuer == Issuer && publisher.Claim("repository") is not null && publisher.Claim("workflow_ref") is not null;

    public string? Mismatch(PublisherIdentity publisher, CertificateIdentity certificate) =>
        TrustedPublisherKinds.IssuerMismatch(publisher, certificate)
        ?? TrustedPublisherKinds.RepositoryMismatch(certificate, $"https://github.com/{publisher.Claim("repository")}")
        ?? TrustedPublisherKinds.BuildConfigMismatch(certificate, $"https://github.com/{WorkflowPath(publisher)}");

    public JsonObject Describe(PublisherIdentity publisher) => new()
    {
        ["kind"] = "GitHub",
        ["repository"] = publisher.Claim("repository"),
        ["workflow"] = WorkflowPath(publisher).Split('/')[^1],
        ["environment"] = publisher.Claim("environment"),
    };

    private static string WorkflowPath(PublisherIdentity publisher) => TrustedPublisherKinds.WithoutRef(publisher.Claim("workflow_ref")!);
}
