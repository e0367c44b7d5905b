using System.Security.Cryptography;

namespace PypiLocal.Core.Attestations;

/// <summary>
/// A transparency log's public key (Rekor signs checkpoints and entry timestamps with it), known by its log id:
/// the SHA-256 of the key's DER SubjectPublicKeyInfo.
/// </summary>
public sealed class TransparencyLogKey
{
    private readonly AsymmetricAlgorithm _key;

    private TransparencyLogKey(AsymmetricAlgorithm key, byte[] subjectPublicKeyInfo)
    {
        _key = key;
        KeyId = SHA256.HashData(subjectPublicKeyInfo);
    }

    public byte[] KeyId { get; }

    /// <summary>Reads a DER SubjectPublicKeyInfo holding an ECDSA or RSA key.</summary>
    public static TransparencyLogKey FromSubjectPublicKeyInfo(byte[] der)
    {
        AsymmetricAlgorithm key;
        try
        {
            var ecdsa = ECDsa.Create();
            ecdsa.ImportSubjectPublicKeyInfo(der, out _);
            key = ecdsa;
        }
        catch (CryptographicException)
        {
            var rsa = RSA.Create();
            rsa.ImportSubjectPublicKeyInfo(der, out _);
            key = rsa;
        }

        return new TransparencyLogKey(key, der);
    }

    public bool Verify(byte[] data, byte[] signature) => SignatureCheck.Verify(_key, data, signature);
}
