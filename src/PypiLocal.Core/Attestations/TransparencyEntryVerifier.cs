using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace PypiLocal.Core.Attestations;

/// <summary>
/// Checks one Rekor v1 "dsse" entry of an attestation: that a trusted log signed it (signed entry timestamp),
/// that it sits in the log's Merkle tree (inclusion proof up to the root of a checkpoint the log signed), and
/// that what was logged is this envelope's payload, signature and certificate. Its integrated time is then
/// trustworthy, and is when the short-lived signing certificate must have been valid.
/// </summary>
internal static class TransparencyEntryVerifier
{
    /// <summary>Verifies <paramref name="entry"/> and answers the time the log integrated it.</summary>
    public static DateTimeOffset Verify(TransparencyEntryWire entry, AttestationTrustRoot trust, byte[] statement, byte[] signature, X509Certificate2 certificate)
    {
        if (entry.KindVersion is not { Kind: "dsse", Version: "0.0.1" })
        {
            throw new AttestationException(
                $"transparency log entry of kind '{entry.KindVersion?.Kind} {entry.KindVersion?.Version}' is not supported; only Rekor v1 'dsse 0.0.1' entries are");
        }

        var keyId = Base64.Decode(entry.LogId?.KeyId, "transparency log entry's logId.keyId");
        var key = trust.FindLogKey(keyId)
            ?? throw new AttestationException($"transparency log entry comes from a log this index does not trust (log id {Convert.ToBase64String(keyId)})");
        var bodyText = entry.CanonicalizedBody ?? throw new AttestationException("transparency log entry's canonicalizedBody is missing");
        var body = Base64.Decode(bodyText, "transparency log entry's canonicalizedBody");
        var logIndex = entry.LogIndex ?? throw new AttestationException("transparency log entry's logIndex is missing");
        var integratedTime = entry.IntegratedTime ?? throw new AttestationException("transparency log entry's integratedTime is missing");

        VerifySignedEntryTimestamp(entry, key, keyId, bodyText, logIndex, integratedTime);
        VerifyInclusion(entry.InclusionProof ?? throw new AttestationException("transparency log entry has no inclusion proof"), key, body);
        VerifyBodyMatches(body, statement, signature, certificate);
        return DateTimeOffset.FromUnixTimeSeconds(integratedTime);
    }

    // The SET is the log's signature over the canonical JSON of {body, integratedTime, logID, logIndex}: it is what
    // makes the integrated time trustworthy (the checkpoint says nothing about time). The body is base64, checked by
    // the caller, so it needs no JSON escaping.
    private static void VerifySignedEntryTimestamp(TransparencyEntryWire entry, TransparencyLogKey key, byte[] keyId, string body, long logIndex, long integratedTime)
    {
        var set = Base64.Decode(entry.InclusionPromise?.SignedEntryTimestamp, "transparency log entry's signed entry timestamp (inclusionPromise)");
        var canonical = Encoding.UTF8.GetBytes(
            $"{{\"body\":\"{body}\",\"integratedTime\":{integratedTime},\"logID\":\"{Convert.ToHexStringLower(keyId)}\",\"logIndex\":{logIndex}}}");
        if (!key.Verify(canonical, set))
        {
            throw new AttestationException("transparency log entry's signed entry timestamp does not verify with the log's key");
        }
    }

    private static void VerifyInclusion(InclusionProofWire proof, TransparencyLogKey key, byte[] body)
    {
        var index = proof.LogIndex ?? throw new AttestationException("inclusion proof's logIndex is missing");
        var treeSize = proof.TreeSize ?? throw new AttestationException("inclusion proof's treeSize is missing");
        var rootHash = Base64.Decode(proof.RootHash, "inclusion proof's rootHash");
        var path = (proof.Hashes ?? []).Select(h => Base64.Decode(h, "inclusion proof hash")).ToList();
        var computed = MerkleTree.RootFromInclusionProof(MerkleTree.LeafHash(body), index, treeSize, path);
        if (!CryptographicOperations.FixedTimeEquals(computed, rootHash))
        {
            throw new AttestationException("inclusion proof does not lead from the entry to the log's root hash");
        }

        var checkpoint = SignedCheckpoint.Parse(proof.Checkpoint?.Envelope ?? throw new AttestationException("inclusion proof has no checkpoint"));
        checkpoint.VerifySignedBy(key);
        if (checkpoint.TreeSize != treeSize || !checkpoint.RootHash.AsSpan().SequenceEqual(rootHash))
        {
            throw new AttestationException("inclusion proof's root hash and tree size differ from the signed checkpoint's");
        }
    }

    // What Rekor logged must be this payload, this signature and this certificate; otherwise a genuine entry for
    // something else could be attached to a forged envelope. The envelope hash cannot be checked: the envelope's
    // JSON was never canonical (sigstore-python skips it for the same reason).
    private static void VerifyBodyMatches(byte[] body, byte[] statement, byte[] signature, X509Certificate2 certificate)
    {
        DsseLogBodyWire? logged;
        try
        {
            logged = JsonSerializer.Deserialize(body, AttestationJsonContext.Default.DsseLogBodyWire);
        }
        catch (JsonException)
        {
            throw new AttestationException("transparency log entry's body is not JSON");
        }

        if (logged is not { Kind: "dsse", ApiVersion: "0.0.1", Spec: { } spec })
        {
            throw new AttestationException("transparency log entry's body is not a dsse 0.0.1 entry");
        }

        if (spec.PayloadHash is not { Algorithm: "sha256", Value: { } payloadHash }
            || !payloadHash.Equals(Convert.ToHexStringLower(SHA256.HashData(statement)), StringComparison.OrdinalIgnoreCase))
        {
            throw new AttestationException("transparency log entry's payload hash does not match the attestation's statement");
        }

        if (spec.Signatures is not [{ } logSignature]
            || !Base64.Decode(logSignature.Signature, "logged signature").AsSpan().SequenceEqual(signature)
            || !LoggedCertificate(logSignature.Verifier).AsSpan().SequenceEqual(certificate.RawData))
        {
            throw new AttestationException("transparency log entry's signature and certificate do not match the attestation's");
        }
    }

    // The logged verifier is base64 of the PEM certificate.
    private static byte[] LoggedCertificate(string? verifier)
    {
        var pem = Encoding.UTF8.GetString(Base64.Decode(verifier, "logged certificate"));
        return PemEncoding.TryFind(pem, out var fields) && pem.AsSpan()[fields.Label].SequenceEqual("CERTIFICATE")
            ? Convert.FromBase64String(pem[fields.Base64Data])
            : [];
    }
}
