namespace PypiLocal.Core.Attestations;

/// <summary>Standard base64 decoding that names what failed to decode.</summary>
internal static class Base64
{
    public static byte[] Decode(string? value, string what)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new AttestationException($"{what} is missing");
        }

        try
        {
            return Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            throw new AttestationException($"{what} is not valid base64");
        }
    }
}
