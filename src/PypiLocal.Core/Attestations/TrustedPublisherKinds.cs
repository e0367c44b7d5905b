using PypiLocal.Core.Auth;

namespace PypiLocal.Core.Attestations;

/// <summary>The trusted publishers whose attestations can be checked, and the rules they share.</summary>
internal static class TrustedPublisherKinds
{
    private static readonly ITrustedPublisherKind[] Known = [new GitHubPublisherKind(), new GitLabPublisherKind(), new GooglePublisherKind()];

    public static ITrustedPublisherKind? For(PublisherIdentity publisher) => Known.FirstOrDefault(k => k.Recognizes(publisher));

    /// <summary>
    /// The certificate's Build Config URI must be <paramref name="configPrefix"/> at the commit or ref the certificate
    /// names: the publisher fixes the repository and workflow file, the run fixes the ref (as pypi-attestations checks).
    /// </summary>
    public static string? BuildConfigMismatch(CertificateIdentity certificate, string configPrefix)
    {
        var actual = certificate.Claim(FulcioOids.BuildConfigUri);
        var suffixes = new[] { certificate.Claim(FulcioOids.SourceRepositoryDigest), certificate.Claim(FulcioOids.SourceRepositoryRef) }.OfType<string>();
        return actual is not null && suffixes.Any(s => actual == $"{configPrefix}@{s}")
            ? null
            : $"certificate's Build Config URI ({actual ?? "none"}) does not match the trusted publisher's workflow ({configPrefix})";
    }

    public static string? IssuerMismatch(PublisherIdentity publisher, CertificateIdentity certificate) =>
        certificate.Issuer == publisher.Issuer ? null : $"certificate was issued for OIDC issuer {certificate.Issuer ?? "(none)"}, not the trusted publisher's {publisher.Issuer}";

    public static string? RepositoryMismatch(CertificateIdentity certificate, string expected) =>
        certificate.Claim(FulcioOids.SourceRepositoryUri) is var actual && actual == expected
            ? null
            : $"certificate's Source Repository URI ({actual ?? "none"}) is not the trusted publisher's repository ({expected})";

    /// <summary>The part of a <c>…@ref</c> claim before the ref.</summary>
    public static string WithoutRef(string value) => value.IndexOf('@', StringComparison.Ordinal) is var at and >= 0 ? value[..at] : value;
}
