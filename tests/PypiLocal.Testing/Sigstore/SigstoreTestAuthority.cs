using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace PypiLocal.Testing.Sigstore;

/// <summary>
/// Sigstore in a box for tests: a Fulcio-like CA, a Rekor-like log, and <see cref="Attest"/>, which issues a PEP 740
/// attestation for a file exactly as pypi-attestations writes one (DSSE envelope over an in-toto statement, leaf
/// certificate, Rekor v1 "dsse" entry with inclusion proof, checkpoint and signed entry timestamp), every
/// signature real. <see cref="AttestationFaults"/> breaks one piece at a time.
/// </summary>
public sealed class SigstoreTestAuthority
{
    public const string PublishPredicate = "https://docs.pypi.org/attestations/publish/v1";
    public const string SlsaProvenancePredicate = "https://slsa.dev/provenance/v1";
    private const string PayloadType = "application/vnd.in-toto+json";

    private readonly Lazy<TestCertificateAuthority> _foreignAuthority = new(() => new TestCertificateAuthority("foreign-fulcio"));
    private readonly Lazy<TestTransparencyLog> _foreignLog = new(() => new TestTransparencyLog());

    public TestCertificateAuthority Fulcio { get; } = new("test-fulcio");

    public TestTransparencyLog Rekor { get; } = new();

    /// <summary>When certificates are issued: any fixed instant, since verification runs at the log's time, never now.</summary>
    public DateTimeOffset SigningTime { get; init; } = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public SigningIdentity Identity { get; init; } = new();

    /// <summary>Writes the trust files (CA certificates, log key) into <paramref name="folder"/> and returns their paths.</summary>
    public (string TrustedRootsFile, string TransparencyLogKeysFile) WriteTrustFiles(string folder)
    {
        var roots = Path.Combine(folder, "fulcio.pem");
        var keys = Path.Combine(folder, "rekor.pem");
        File.WriteAllText(roots, Fulcio.TrustPem);
        File.WriteAllText(keys, Rekor.PublicKeyPem);
        return (roots, keys);
    }

    /// <summary>The <c>attestations</c> form field for a file: a JSON array of the given attestations.</summary>
    public static string Field(params JsonObject[] attestations) => new JsonArray(attestations.Select(a => (JsonNode)a.DeepClone()).ToArray()).ToJsonString();

    /// <summary>An attestation for the file with <paramref name="filename"/> and <paramref name="sha256"/> (lowercase hex).</summary>
    public JsonObject Attest(string filename, string sha256, AttestationFaults? faults = null)
    {
        faults ??= new AttestationFaults();
        var statement = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["_type"] = "https://in-toto.io/Statement/v1",
            ["subject"] = new JsonArray(new JsonObject
            {
                ["name"] = faults.SubjectName ?? filename,
                ["digest"] = new JsonObject { ["sha256"] = faults.SubjectSha256 ?? sha256 },
            }),
            ["predicateType"] = faults.PredicateType,
            ["predicate"] = null,
        }.ToJsonString());

        var authority = faults.UntrustedCertificateAuthority ? _foreignAuthority.Value : Fulcio;
        var (certificate, key) = authority.IssueLeaf(faults.Identity ?? Identity, SigningTime, codeSigning: !faults.NoCodeSigningUsage);
        var signature = key.SignData(PreAuthenticationEncoding(statement), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var loggedSignature = faults.LogOtherSignature
            ? key.SignData(PreAuthenticationEncoding([.. statement, (byte)' ']), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
            : signature;
        var body = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["apiVersion"] = "0.0.1",
            ["kind"] = "dsse",
            ["spec"] = new JsonObject
            {
                ["envelopeHash"] = new JsonObject { ["algorithm"] = "sha256", ["value"] = Convert.ToHexStringLower(SHA256.HashData(statement)) },
                ["payloadHash"] = new JsonObject { ["algorithm"] = "sha256", ["value"] = Convert.ToHexStringLower(SHA256.HashData(statement)) },
                ["signatures"] = new JsonArray(new JsonObject
                {
                    ["signature"] = Convert.ToBase64String(loggedSignature),
                    ["verifier"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(certificate.ExportCertificatePem() + "\n")),
                }),
            },
        }.ToJsonString());
        var log = faults.UntrustedLog ? _foreignLog.Value : Rekor;
        var entry = log.Entry(body, SigningTime + faults.LoggedAfter, faults);

        if (faults.TamperSignature)
        {
            signature[^3] ^= 0x01;
        }

        if (faults.TamperStatement)
        {
            statement = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(statement).Replace("\"predicate\":null", "\"predicate\":{}", StringComparison.Ordinal));
        }

        return new JsonObject
        {
            ["version"] = 1,
            ["verification_material"] = new JsonObject
            {
                ["certificate"] = Convert.ToBase64String(certificate.RawData),
                ["transparency_entries"] = new JsonArray(entry),
            },
            ["envelope"] = new JsonObject
            {
                ["statement"] = Convert.ToBase64String(statement),
                ["signature"] = Convert.ToBase64String(signature),
            },
        };
    }

    private static byte[] PreAuthenticationEncoding(byte[] payload) =>
        [.. Encoding.ASCII.GetBytes($"DSSEv1 {PayloadType.Length} {PayloadType} {payload.Length} "), .. payload];
}
