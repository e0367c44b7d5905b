using System.Globalization;
using System.Security.Cryptography.X509Certificates;

namespace PypiLocal.Core.Attestations;

/// <summary>
/// Checks a Fulcio signing certificate: it chains to a configured trust anchor at the moment the transparency log
/// recorded the signature (Fulcio certificates live ten minutes, so "now" would always fail), and it is a code
/// signing certificate (key usage digitalSignature, extended key usage codeSigning).
/// </summary>
internal static class SigningCertificateVerifier
{
    private const string CodeSigning = "1.3.6.1.5.5.7.3.3";

    public static void Verify(X509Certificate2 certificate, AttestationTrustRoot trust, DateTimeOffset signedAt)
    {
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
        if (signedAt < notBefore || signedAt > notAfter)
        {
            throw new AttestationException(
                $"signing certificate was not valid when the transparency log recorded the signature (valid {Format(notBefore)} to {Format(notAfter)}, recorded {Format(signedAt)})");
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trust.Anchors);
        chain.ChainPolicy.ExtraStore.AddRange(trust.Intermediates);
        // Fulcio publishes no revocation: a certificate is trusted for the minutes it lives, as the log proves.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = signedAt.UtcDateTime;
        if (!chain.Build(certificate))
        {
            var reasons = chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct();
            throw new AttestationException($"signing certificate does not chain to a trusted root ({string.Join("; ", reasons)})");
        }

        if (certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is not { } usage
            || !usage.KeyUsages.HasFlag(X509KeyUsageFlags.DigitalSignature))
        {
            throw new AttestationException("signing certificate's key usage is not digital signature");
        }

        if (certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is not { } extended
            || !extended.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Any(o => o.Value == CodeSigning))
        {
            throw new AttestationException("signing certificate is not for code signing");
        }
    }

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
