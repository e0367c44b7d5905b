using System.Text.Json.Nodes;
using PypiLocal.Core.Auth;

namespace PypiLocal.Core.Attestations;

/// <summary>A Google Cloud service account: the token's <c>email</c> is the certificate's subject alternative name.</summary>
internal sealed class GooglePublisherKind : ITrustedPublisherKind
{
    public const string Issuer = "https://accounts.google.com";

    public bool Recognizes(PublisherIdentity publisher) => publisher.Issuer == Issuer && publisher.Claim("email") is not null;

    public string? Mismatch(PublisherIdentity publisher, CertificateIdentity certificate) =>
        TrustedPublisherKinds.IssuerMismatch(publisher, certificate)
        ?? (certificate.SubjectAlternativeNames.Contains(publisher.Claim("email"))
            ? null
            : $"certificate was issued to {string.Join(", ", certificate.SubjectAlternativeNames)}, not the trusted publisher's {publisher.Claim("email")}");

    public JsonObject Describe(PublisherIdentity publisher) => new() { ["kind"] = "Google", ["email"] = publisher.Claim("email") };
}
