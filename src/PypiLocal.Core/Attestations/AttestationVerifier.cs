using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using PypiLocal.Core.Auth;

namespace PypiLocal.Core.Attestations;

/// <summary>
/// Verifies the PEP 740 attestations sent with an upload, offline, against the configured trust root; any failure
/// refuses them all. Each attestation must be a DSSE envelope signed by its Fulcio certificate's key, logged in a
/// trusted Rekor log (signed entry timestamp, inclusion proof, signed checkpoint, matching body), by a
/// certificate that chains to a trust anchor at the logged time and names the upload's trusted publisher, about
/// exactly the uploaded file. As on PyPI, only uploads by a trusted publisher may carry attestations: nothing
/// else says whose signature to expect.
/// </summary>
public sealed class AttestationVerifier(AttestationTrustRoot trust)
{
    /// <summary>One per predicate type PyPI accepts, as PyPI allows.</summary>
    public static readonly int MaxAttestations = InTotoStatementCheck.SupportedPredicates.Count;

    /// <summary>
    /// Verifies the <c>attestations</c> form field for the file <paramref name="filename"/> whose SHA-256 is
    /// <paramref name="sha256"/>, uploaded by <paramref name="publisher"/>. Throws <see cref="AttestationException"/>.
    /// </summary>
    public VerifiedProvenance Verify(string attestationsField, string filename, string sha256, PublisherIdentity? publisher)
    {
        if (publisher is null)
        {
            throw new AttestationException("Attestations are only supported when using Trusted Publishing");
        }

        var kind = TrustedPublisherKinds.For(publisher)
            ?? throw new AttestationException($"Attestations are not currently supported with {publisher.Issuer} publishers");
        var attestations = Parse(attestationsField);
        var predicates = new List<string>();
        foreach (var attestation in attestations)
        {
            string predicate;
            try
            {
                predicate = VerifyOne(attestation, filename, sha256, publisher, kind);
            }
            catch (AttestationException e)
            {
                throw new AttestationException($"Could not verify the uploaded artifact using the included attestation: {e.Message}");
            }

            if (predicates.Contains(predicate))
            {
                throw new AttestationException($"Multiple attestations for the same file with the same predicate type ({predicate}) are not supported");
            }

            predicates.Add(predicate);
        }

        return new VerifiedProvenance(WriteProvenance(kind.Describe(publisher), attestations), predicates);
    }

    private static List<AttestationWire> Parse(string field)
    {
        List<AttestationWire?>? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(field, AttestationListJsonContext.Default.ListAttestationWire);
        }
        catch (JsonException e)
        {
            throw new AttestationException($"Malformed attestations: {e.Message}");
        }

        if (parsed is null || parsed.Count == 0)
        {
            throw new AttestationException("Malformed attestations: an empty attestation set is not permitted");
        }

        if (parsed.Count > MaxAttestations)
        {
            throw new AttestationException($"A maximum of {MaxAttestations} attestations per file are supported");
        }

        return parsed.Select(a => a ?? throw new AttestationException("Malformed attestations: an attestation is null")).ToList();
    }

    private string VerifyOne(AttestationWire attestation, string filename, string sha256, PublisherIdentity publisher, ITrustedPublisherKind kind)
    {
        if (attestation.Version != 1)
        {
            throw new AttestationException($"attestation version {attestation.Version?.ToString(CultureInfo.InvariantCulture) ?? "(missing)"} is not supported; only version 1 is");
        }

        var material = attestation.VerificationMaterial ?? throw new AttestationException("verification_material is missing");
        var envelope = attestation.Envelope ?? throw new AttestationException("envelope is missing");
        using var certificate = LoadCertificate(Base64.Decode(material.Certificate, "certificate"));
        var statement = Base64.Decode(envelope.Statement, "envelope statement");
        var signature = Base64.Decode(envelope.Signature, "envelope signature");
        if (material.TransparencyEntries is not { Count: > 0 } entries)
        {
            throw new AttestationException("the attestation has no transparency log entry");
        }

        var signed = Dsse.PreAuthenticationEncoding(Dsse.InTotoPayloadType, statement);
        using var key = SignatureCheck.PublicKeyOf(certificate);
        if (!SignatureCheck.Verify(key, signed, signature))
        {
            throw new AttestationException("the envelope's signature does not verify with the signing certificate's key");
        }

        foreach (var entry in entries)
        {
            var loggedAt = TransparencyEntryVerifier.Verify(entry, trust, statement, signature, certificate);
            SigningCertificateVerifier.Verify(certificate, trust, loggedAt);
        }

        if (kind.Mismatch(publisher, CertificateIdentity.Read(certificate)) is { } mismatch)
        {
            throw new AttestationException($"the signing identity is not this upload's trusted publisher: {mismatch}");
        }

        return InTotoStatementCheck.Check(statement, filename, sha256);
    }

    private static X509Certificate2 LoadCertificate(byte[] der)
    {
        try
        {
            return X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException)
        {
            throw new AttestationException("certificate is not a DER X.509 certificate");
        }
    }

    // PEP 740's provenance object: one bundle, the publisher that uploaded, and the attestations as verified (only
    // the fields that were checked are written back).
    private static byte[] WriteProvenance(JsonObject publisher, IEnumerable<AttestationWire> attestations)
    {
        var list = new JsonArray();
        foreach (var attestation in attestations)
        {
            list.Add(JsonSerializer.SerializeToNode(attestation, AttestationJsonContext.Default.AttestationWire));
        }

        var provenance = new JsonObject
        {
            ["version"] = 1,
            ["attestation_bundles"] = new JsonArray(new JsonObject { ["publisher"] = publisher, ["attestations"] = list }),
        };
        return JsonSerializer.SerializeToUtf8Bytes(provenance, AttestationJsonContext.Default.JsonObject);
    }
}
