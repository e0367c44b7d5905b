using System.Text;

namespace PypiLocal.Core.Attestations;

/// <summary>Dead Simple Signing Envelope: what a DSSE signature actually signs.</summary>
public static class Dsse
{
    /// <summary>The payload type of an in-toto statement, the only one PEP 740 attestations carry.</summary>
    public const string InTotoPayloadType = "application/vnd.in-toto+json";

    /// <summary>
    /// The pre-authentication encoding <c>"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body</c>, lengths in ASCII
    /// decimal bytes. Signing this rather than the bare payload binds the type to the signature.
    /// </summary>
    public static byte[] PreAuthenticationEncoding(string payloadType, ReadOnlySpan<byte> payload)
    {
        var type = Encoding.UTF8.GetBytes(payloadType);
        var header = Encoding.ASCII.GetBytes($"DSSEv1 {type.Length} ");
        var middle = Encoding.ASCII.GetBytes($" {payload.Length} ");
        return [.. header, .. type, .. middle, .. payload];
    }
}
