namespace PypiLocal.Core.Attestations;

/// <summary>
/// What PEP 740 attestations are verified against (section "Attestations"). Unset, Sigstore's public-good
/// Fulcio and Rekor, as shipped in this build; set, only what the files hold.
/// </summary>
public sealed class AttestationOptions
{
    public const string SectionName = "Attestations";

    /// <summary>A PEM file of Fulcio certificates: self-signed ones are trust anchors, the others intermediates.</summary>
    public string? TrustedRootsFile { get; set; }

    /// <summary>A PEM file of the transparency logs' public keys (BEGIN PUBLIC KEY blocks, ECDSA or RSA).</summary>
    public string? TransparencyLogKeysFile { get; set; }
}
