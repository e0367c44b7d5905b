namespace PypiLocal.Testing.Sigstore;

/// <summary>
/// Knobs that break one piece of an issued attestation, so each check of the verifier can be shown to refuse it.
/// The default (all off) issues a valid attestation.
/// </summary>
public sealed record AttestationFaults
{
    /// <summary>Whose certificate signs; null means the authority's default identity.</summary>
    public SigningIdentity? Identity { get; init; }

    /// <summary>The statement's predicate type.</summary>
    public string PredicateType { get; init; } = SigstoreTestAuthority.PublishPredicate;

    /// <summary>The subject's name instead of the file's.</summary>
    public string? SubjectName { get; init; }

    /// <summary>The subject's sha256 instead of the file's.</summary>
    public string? SubjectSha256 { get; init; }

    /// <summary>Flip a bit of the envelope's signature after signing (and after logging it).</summary>
    public bool TamperSignature { get; init; }

    /// <summary>Change the statement after it was signed and logged.</summary>
    public bool TamperStatement { get; init; }

    /// <summary>Issue the certificate from a CA the index does not trust.</summary>
    public bool UntrustedCertificateAuthority { get; init; }

    /// <summary>Leave the code-signing extended key usage out of the certificate.</summary>
    public bool NoCodeSigningUsage { get; init; }

    /// <summary>Log the entry in a log whose key the index does not know.</summary>
    public bool UntrustedLog { get; init; }

    /// <summary>Alter one hash of the inclusion proof.</summary>
    public bool TamperInclusionProof { get; init; }

    /// <summary>Sign the checkpoint with another key under the log's key hint.</summary>
    public bool TamperCheckpointSignature { get; init; }

    /// <summary>Change the entry's integrated time after the log signed it.</summary>
    public bool TamperIntegratedTime { get; init; }

    /// <summary>How long after the certificate was issued the log records the entry (Fulcio certificates live 10 minutes).</summary>
    public TimeSpan LoggedAfter { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Log a body for another signature than the envelope's.</summary>
    public bool LogOtherSignature { get; init; }

    /// <summary>Where in the log's tree the entry sits, and how many entries the tree has.</summary>
    public (int Index, int TreeSize) TreePosition { get; init; } = (5, 11);
}
