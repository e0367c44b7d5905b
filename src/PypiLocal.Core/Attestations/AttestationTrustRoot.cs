using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PypiLocal.Core.Attestations;

/// <summary>
/// What attestations must chain to: the certificate authorities that issue signing certificates (trust anchors
/// and intermediates) and the transparency logs' keys, by log id.
/// </summary>
public sealed class AttestationTrustRoot
{
    private readonly Dictionary<string, TransparencyLogKey> _logKeys;

    public AttestationTrustRoot(IEnumerable<X509Certificate2> certificates, IEnumerable<TransparencyLogKey> logKeys)
    {
        foreach (var certificate in certificates)
        {
            (IsSelfSigned(certificate) ? Anchors : Intermediates).Add(certificate);
        }

        _logKeys = logKeys.ToDictionary(k => Convert.ToBase64String(k.KeyId));
        if (Anchors.Count == 0 || _logKeys.Count == 0)
        {
            throw new ArgumentException("An attestation trust root needs at least one self-signed certificate and one transparency log key.");
        }
    }

    public X509Certificate2Collection Anchors { get; } = [];

    public X509Certificate2Collection Intermediates { get; } = [];

    /// <summary>The key of the log whose id is <paramref name="keyId"/>, or null when that log is not trusted.</summary>
    public TransparencyLogKey? FindLogKey(byte[] keyId) => _logKeys.GetValueOrDefault(Convert.ToBase64String(keyId));

    /// <summary>The configured files, or Sigstore's public-good roots built into this assembly for whichever is unset.</summary>
    public static AttestationTrustRoot Load(AttestationOptions options) => FromPem(
        options.TrustedRootsFile is { Length: > 0 } roots ? File.ReadAllText(roots) : ReadResource("sigstore-fulcio.pem"),
        options.TransparencyLogKeysFile is { Length: > 0 } keys ? File.ReadAllText(keys) : ReadResource("sigstore-rekor.pem"));

    /// <summary>Reads certificates and public keys from PEM text; text outside the PEM blocks is ignored.</summary>
    public static AttestationTrustRoot FromPem(string certificatesPem, string logKeysPem)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPem(certificatesPem);
        var keys = new List<TransparencyLogKey>();
        var rest = logKeysPem.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            if (rest[fields.Label].SequenceEqual("PUBLIC KEY"))
            {
                keys.Add(TransparencyLogKey.FromSubjectPublicKeyInfo(Convert.FromBase64String(rest[fields.Base64Data].ToString())));
            }

            rest = rest[fields.Location.End..];
        }

        return new AttestationTrustRoot(certificates, keys);
    }

    private static bool IsSelfSigned(X509Certificate2 certificate) =>
        certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);

    private static string ReadResource(string name)
    {
        using var stream = typeof(AttestationTrustRoot).Assembly.GetManifestResourceStream($"PypiLocal.Core.Attestations.TrustRoots.{name}")
            ?? throw new InvalidOperationException($"The built-in trust root {name} is missing from this build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
