using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace PypiLocal.Core.Attestations;

/// <summary>
/// Who a Fulcio signing certificate was issued to: the OIDC issuer, the subject alternative names (URIs and
/// e-mail addresses) and the token claims Fulcio copied into extensions, by OID (see <see cref="FulcioOids"/>).
/// </summary>
public sealed record CertificateIdentity(string? Issuer, IReadOnlyList<string> SubjectAlternativeNames, IReadOnlyDictionary<string, string> Claims)
{
    private const string SubjectAlternativeNameOid = "2.5.29.17";

    /// <summary>A claim extension's value, or null when the certificate has none.</summary>
    public string? Claim(string oid) => Claims.GetValueOrDefault(oid);

    public static CertificateIdentity Read(X509Certificate2 certificate)
    {
        var claims = new Dictionary<string, string>(StringComparer.Ordinal);
        string? legacyIssuer = null;
        var names = new List<string>();
        foreach (var extension in certificate.Extensions)
        {
            var oid = extension.Oid?.Value;
            if (oid == FulcioOids.IssuerV1)
            {
                legacyIssuer = Encoding.UTF8.GetString(extension.RawData);
            }
            else if (oid == SubjectAlternativeNameOid)
            {
                names.AddRange(ReadNames(extension.RawData));
            }
            else if (IsUtf8Claim(oid) && TryReadUtf8String(extension.RawData) is { } value)
            {
                claims[oid!] = value;
            }
        }

        return new CertificateIdentity(claims.GetValueOrDefault(FulcioOids.Issuer) ?? legacyIssuer, names, claims);
    }

    // .2 to .6 are deprecated raw strings and .7 an otherName SAN; from .8 on each is a DER UTF8String.
    private static bool IsUtf8Claim(string? oid) =>
        oid is not null && oid.StartsWith(FulcioOids.ClaimPrefix, StringComparison.Ordinal)
        && int.TryParse(oid.AsSpan(FulcioOids.ClaimPrefix.Length), out var arc) && arc >= 8;

    // An extension Fulcio may add later in another encoding is not a claim we read; skip it rather than refuse.
    private static string? TryReadUtf8String(byte[] der)
    {
        try
        {
            return new AsnReader(der, AsnEncodingRules.DER).ReadCharacterString(UniversalTagNumber.UTF8String);
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    // GeneralNames: rfc822Name is [1] IA5String, uniformResourceIdentifier is [6] IA5String; others are skipped.
    private static List<string> ReadNames(byte[] der)
    {
        var names = new List<string>();
        try
        {
            var sequence = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            while (sequence.HasData)
            {
                var tag = sequence.PeekTag();
                if (tag.TagClass == TagClass.ContextSpecific && tag.TagValue is 1 or 6)
                {
                    names.Add(sequence.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                }
                else
                {
                    sequence.ReadEncodedValue();
                }
            }
        }
        catch (AsnContentException)
        {
            throw new AttestationException("signing certificate's subject alternative name is malformed");
        }

        return names;
    }
}
