namespace PypiLocal.Core.TrustedPublishing;

/// <summary>Why a token exchange was refused, with PyPI's error code (invalid-payload, invalid-token, invalid-publisher, not-enabled).</summary>
public sealed class MintRefusedException(string code, string description) : Exception(description)
{
    public string Code { get; } = code;

    public static MintRefusedException InvalidToken(string description) => new("invalid-token", description);
}
