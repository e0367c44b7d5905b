using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PypiLocal.Testing.Sigstore;

/// <summary>
/// A Fulcio-like certificate authority: a self-signed P-384 root, an intermediate for code signing, and
/// ten-minute P-256 leaf certificates carrying a workflow identity in Fulcio's extensions.
/// </summary>
public sealed class TestCertificateAuthority
{
    private static readonly DateTimeOffset Start = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Oid CodeSigning = new("1.3.6.1.5.5.7.3.3");

    private readonly X509Certificate2 _intermediate;

    public TestCertificateAuthority(string name)
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var rootRequest = new CertificateRequest($"O=pypilocal-tests, CN={name}", rootKey, HashAlgorithmName.SHA384);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        Root = rootRequest.CreateSelfSigned(Start, Start.AddYears(20));

        var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var request = new CertificateRequest($"O=pypilocal-tests, CN={name}-intermediate", intermediateKey, HashAlgorithmName.SHA384);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([CodeSigning], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Root, true, false));
        using var issued = request.Create(Root, Start, Start.AddYears(19), RandomNumberGenerator.GetBytes(16));
        _intermediate = issued.CopyWithPrivateKey(intermediateKey);
    }

    public X509Certificate2 Root { get; }

    public X509Certificate2 Intermediate => _intermediate;

    /// <summary>The root and the intermediate as PEM, what Attestations:TrustedRootsFile holds.</summary>
    public string TrustPem => Root.ExportCertificatePem() + "\n" + _intermediate.ExportCertificatePem() + "\n";

    /// <summary>A ten-minute signing certificate for <paramref name="identity"/> with its key, issued at <paramref name="issuedAt"/>.</summary>
    public (X509Certificate2 Certificate, ECDsa Key) IssueLeaf(SigningIdentity identity, DateTimeOffset issuedAt, bool codeSigning = true)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName(""), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        if (codeSigning)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([CodeSigning], false));
        }

        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_intermediate, true, false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddUri(identity.SubjectAlternativeName);
        request.CertificateExtensions.Add(names.Build(critical: true));
        foreach (var (oid, value) in identity.CertificateClaims)
        {
            var der = new AsnWriter(AsnEncodingRules.DER);
            der.WriteCharacterString(UniversalTagNumber.UTF8String, value);
            request.CertificateExtensions.Add(new X509Extension(oid, der.Encode(), false));
        }

        var certificate = request.Create(_intermediate, issuedAt, issuedAt.AddMinutes(10), RandomNumberGenerator.GetBytes(16));
        return (certificate, key);
    }
}
