using System.Diagnostics.CodeAnalysis;

namespace PypiLocal.Protocol.Versions;

/// <summary>
/// A PEP 440 version: parsed leniently, printed in normal form, ordered as PEP 440 orders them
/// (epoch, release, pre, post, dev, local). Equality follows ordering, so 1.0 equals 1.0.0.
/// </summary>
public sealed class PackageVersion : IComparable<PackageVersion>, IEquatable<PackageVersion>
{
    private PackageVersion() { }

    public int Epoch { get; private init; }
    public IReadOnlyList<long> Release { get; private init; } = [];
    /// <summary>"a", "b" or "rc" with its number, or null.</summary>
    public (string Label, long Number)? Pre { get; private init; }
    public long? Post { get; private init; }
    public long? Dev { get; private init; }
    /// <summary>The local label in normal form (lowercase, dot-separated), or null.</summary>
    public string? Local { get; private init; }

    public bool IsPrerelease => Pre is not null || Dev is not null;
    public bool IsLocal => Local is not null;

    public static bool TryParse(string? text, [NotNullWhen(true)] out PackageVersion? version) => throw new NotImplementedException();

    public static PackageVersion Parse(string text) =>
        TryParse(text, out var version) ? version : throw new FormatException($"'{text}' is not a valid PEP 440 version.");

    /// <summary>The PEP 440 normal form, e.g. "1!2.0rc1.post3.dev4+ubuntu.1".</summary>
    public override string ToString() => throw new NotImplementedException();

    /// <summary>PyPI's release identity: the normal form with trailing ".0" release parts removed ("1.0.0" → "1").</summary>
    public string ToCanonicalString() => throw new NotImplementedException();

    public int CompareTo(PackageVersion? other) => throw new NotImplementedException();
    public bool Equals(PackageVersion? other) => other is not null && CompareTo(other) == 0;
    public override bool Equals(object? obj) => Equals(obj as PackageVersion);
    public override int GetHashCode() => throw new NotImplementedException();

    public static bool operator ==(PackageVersion? left, PackageVersion? right) => left is null ? right is null : left.Equals(right);
    public static bool operator !=(PackageVersion? left, PackageVersion? right) => !(left == right);
    public static bool operator <(PackageVersion left, PackageVersion right) => left.CompareTo(right) < 0;
    public static bool operator >(PackageVersion left, PackageVersion right) => left.CompareTo(right) > 0;
    public static bool operator <=(PackageVersion left, PackageVersion right) => left.CompareTo(right) <= 0;
    public static bool operator >=(PackageVersion left, PackageVersion right) => left.CompareTo(right) >= 0;
}
