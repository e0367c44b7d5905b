using System.Buffers;

namespace PypiLocal.Core.Catalog;

/// <summary>
/// A digest as memory keeps it: lowercase hex as its bytes, a quarter of the hex string's UTF-16 size (the facts of every
/// file stay in memory, and their hex digests were the largest part of them). Text that is not lowercase hex is kept as
/// given, so <see cref="Text"/> always gives back exactly the string it was made from.
/// </summary>
internal readonly struct HexDigest : IEquatable<HexDigest>
{
    private static readonly SearchValues<char> LowercaseHexDigits = SearchValues.Create("0123456789abcdef");

    // The digest's bytes when it was lowercase hex, else the string as given; null for no digest.
    private readonly object? _value;

    private HexDigest(object? value) => _value = value;

    public static HexDigest From(string? text) =>
        text is not null && IsLowercaseHex(text) ? new HexDigest(Convert.FromHexString(text)) : new HexDigest(text);

    /// <summary>Whether there is a digest (it was made from a string, not null).</summary>
    public bool HasValue => _value is not null;

    /// <summary>The string this digest was made from, or null.</summary>
    public string? Text => _value is byte[] bytes ? Convert.ToHexStringLower(bytes) : (string?)_value;

    public bool Equals(HexDigest other) => _value is byte[] bytes
        ? other._value is byte[] otherBytes && bytes.AsSpan().SequenceEqual(otherBytes)
        : Equals(_value, other._value);

    public override bool Equals(object? obj) => obj is HexDigest other && Equals(other);

    public override int GetHashCode()
    {
        if (_value is not byte[] bytes)
        {
            return _value?.GetHashCode() ?? 0;
        }

        var hash = new HashCode();
        hash.AddBytes(bytes);
        return hash.ToHashCode();
    }

    // Uppercase or odd-length text would not come back the same from the bytes.
    private static bool IsLowercaseHex(string text) =>
        text.Length > 0 && text.Length % 2 == 0 && !text.AsSpan().ContainsAnyExcept(LowercaseHexDigits);
}
