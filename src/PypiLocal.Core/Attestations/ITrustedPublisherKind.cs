using System.Text.Json.Nodes;
using PypiLocal.Core.Auth;

namespace PypiLocal.Core.Attestations;

/// <summary>
/// One kind of trusted publisher (GitHub Actions, GitLab CI/CD, Google): how to recognize its identity token, how
/// Fulcio wrote the same identity into a signing certificate, and how PEP 740 provenance names it.
/// </summary>
internal interface ITrustedPublisherKind
{
    /// <summary>Whether <paramref name="publisher"/>'s token is of this kind.</summary>
    bool Recognizes(PublisherIdentity publisher);

    /// <summary>Null when <paramref name="certificate"/> was issued to <paramref name="publisher"/>, else why not.</summary>
    string? Mismatch(PublisherIdentity publisher, CertificateIdentity certificate);

    /// <summary>The PEP 740 publisher object (<c>kind</c> plus its fields) for the provenance file.</summary>
    JsonObject Describe(PublisherIdentity publisher);
}
