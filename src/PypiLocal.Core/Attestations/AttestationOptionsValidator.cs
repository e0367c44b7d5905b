using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace PypiLocal.Core.Attestations;

/// <summary>Checks at start that the configured trust files exist and hold what they should, naming the key at fault.</summary>
public sealed class AttestationOptionsValidator : IValidateOptions<AttestationOptions>
{
    public ValidateOptionsResult Validate(string? name, AttestationOptions options)
    {
        try
        {
            AttestationTrustRoot.Load(options);
            return ValidateOptionsResult.Success;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or CryptographicException or FormatException)
        {
            return ValidateOptionsResult.Fail(
                $"{AttestationOptions.SectionName}:{nameof(AttestationOptions.TrustedRootsFile)} ({options.TrustedRootsFile ?? "built-in"}) and "
                + $"{AttestationOptions.SectionName}:{nameof(AttestationOptions.TransparencyLogKeysFile)} ({options.TransparencyLogKeysFile ?? "built-in"}) "
                + $"must name readable PEM files with at least one self-signed certificate and one public key: {e.Message}");
        }
    }
}
