using System.Security.Cryptography;

namespace PypiLocal.AppHost.Hosting;

/// <summary>
/// An external value (Aspire: parameter.v0): a default written into the manifest, or a secret the deployer generates.
/// In run mode a generated parameter gets a fresh random value.
/// </summary>
internal sealed class ParameterResource(string name, string? defaultValue, bool secret, int generateMinLength = 22) : Resource(name), IValueProvider
{
    // Letters and digits only: connection strings are split on ';' and ',' (MinIO client, StackExchange.Redis).
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private string? _value = defaultValue;

    public string? DefaultValue { get; } = defaultValue;
    public bool Secret { get; } = secret;
    public int GenerateMinLength { get; } = generateMinLength;
    public bool IsGenerated => DefaultValue is null;

    public string ValueExpression => $"{{{Name}.value}}";

    public string? GetValue() => _value ??= RandomNumberGenerator.GetString(Alphabet, GenerateMinLength);

    /// <summary>Overrides the value (a user-supplied secret, or a test's).</summary>
    public void SetValue(string value) => _value = value;

    /// <summary>The value percent-encoded for use inside a URI (Aspire: <c>-uri-encoded</c> annotated.string).</summary>
    public UriEncodedParameter UriEncoded() => new(this);
}
