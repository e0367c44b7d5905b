namespace PypiLocal.Core.Attestations;

/// <summary>
/// The X.509 extensions in which Fulcio records the OIDC token a signing certificate was issued for
/// (sigstore/fulcio docs/oid-info.md). From .8 on each holds a DER UTF8String; .1 is the raw issuer string.
/// </summary>
public static class FulcioOids
{
    public const string IssuerV1 = "1.3.6.1.4.1.57264.1.1";
    public const string Issuer = "1.3.6.1.4.1.57264.1.8";
    public const string BuildSignerUri = "1.3.6.1.4.1.57264.1.9";
    public const string BuildSignerDigest = "1.3.6.1.4.1.57264.1.10";
    public const string RunnerEnvironment = "1.3.6.1.4.1.57264.1.11";
    public const string SourceRepositoryUri = "1.3.6.1.4.1.57264.1.12";
    public const string SourceRepositoryDigest = "1.3.6.1.4.1.57264.1.13";
    public const string SourceRepositoryRef = "1.3.6.1.4.1.57264.1.14";
    public const string SourceRepositoryIdentifier = "1.3.6.1.4.1.57264.1.15";
    public const string SourceRepositoryOwnerUri = "1.3.6.1.4.1.57264.1.16";
    public const string SourceRepositoryOwnerIdentifier = "1.3.6.1.4.1.57264.1.17";
    public const string BuildConfigUri = "1.3.6.1.4.1.57264.1.18";
    public const string BuildConfigDigest = "1.3.6.1.4.1.57264.1.19";
    public const string BuildTrigger = "1.3.6.1.4.1.57264.1.20";
    public const string RunInvocationUri = "1.3.6.1.4.1.57264.1.21";
    public const string SourceRepositoryVisibility = "1.3.6.1.4.1.57264.1.22";

    /// <summary>The arc under which Fulcio's extensions live.</summary>
    internal const string ClaimPrefix = "1.3.6.1.4.1.57264.1.";
}
