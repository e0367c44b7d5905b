using System.Text.Json.Nodes;
using PypiLocal.Core.Auth;

namespace PypiLocal.Core.Attestations;

/// <summary>
/// GitLab CI/CD, on gitlab.com or a self-managed instance. The token's <c>project_path</c> ("group/project") and
/// <c>ci_config_ref_uri</c> ("gitlab.example/group/project//.gitlab-ci.yml@refs/heads/main") appear in the
/// certificate as the Source Repository URI <c>{ci_server_url}/group/project</c> and Build Config URI
/// <c>https://{ci_config_ref_uri}</c>.
/// </summary>
internal sealed class GitLabPublisherKind : ITrustedPublisherKind
{
    public bool Recognizes(PublisherIdentity publisher) =>
        publisher.Claim("project_path") is not null && publisher.Claim("ci_config_ref_uri") is not null;

    public string? Mismatch(PublisherIdentity publisher, CertificateIdentity certificate) =>
        TrustedPublisherKinds.IssuerMismatch(publisher, certificate)
        ?? TrustedPublisherKinds.RepositoryMismatch(certificate, $"{(publisher.Claim("ci_server_url") ?? publisher.Issuer).TrimEnd('/')}/{publisher.Claim("project_path")}")
        ?? TrustedPublisherKinds.BuildConfigMismatch(certificate, $"https://{ConfigPath(publisher)}");

    public JsonObject Describe(PublisherIdentity publisher)
    {
        var path = ConfigPath(publisher);
        var separator = path.IndexOf("//", StringComparison.Ordinal);
        return new JsonObject
        {
            ["kind"] = "GitLab",
            ["repository"] = publisher.Claim("project_path"),
            ["workflow_filepath"] = separator >= 0 ? path[(separator + 2)..] : path,
            ["environment"] = publisher.Claim("environment"),
        };
    }

    private static string ConfigPath(PublisherIdentity publisher) => TrustedPublisherKinds.WithoutRef(publisher.Claim("ci_config_ref_uri")!);
}
