using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PypiLocal.Core.Attestations;

/// <summary>
/// Verifies a DER-encoded signature as Sigstore makes them: ECDSA with the hash that matches the curve
/// (P-256/SHA-256, P-384/SHA-384, P-521/SHA-512), or RSA PKCS#1 v1.5 with SHA-256.
/// </summary>
internal static class SignatureCheck
{
    public static bool Verify(AsymmetricAlgorithm key, byte[] data, byte[] signature) => key switch
    {
        ECDsa ecdsa => ecdsa.VerifyData(data, signature, HashFor(ecdsa.KeySize), DSASignatureFormat.Rfc3279DerSequence),
        RSA rsa => rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        _ => false,
    };

    /// <summary>The certificate's public key, or an error for key types Sigstore does not issue.</summary>
    public static AsymmetricAlgorithm PublicKeyOf(X509Certificate2 certificate) =>
        (AsymmetricAlgorithm?)certificate.GetECDsaPublicKey() ?? certificate.GetRSAPublicKey()
        ?? throw new AttestationException("signing certificate has neither an ECDSA nor an RSA key");

    private static HashAlgorithmName HashFor(int keySize) => keySize switch
    {
        <= 256 => HashAlgorithmName.SHA256,
        <= 384 => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };
}
