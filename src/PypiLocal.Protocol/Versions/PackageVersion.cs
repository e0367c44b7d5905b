using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PypiLocal.Protocol.Versions;

/// <summary>
/// A PEP 440 version: parsed leniently, printed in normal form, ordered as PEP 440 orders them
/// (epoch, release, pre, post, dev, local). Equality follows ordering, so 1.0 equals 1.0.0.
/// </summary>
public sealed partial class PackageVersion : IComparable<PackageVersion>, IEquatable<PackageVersion>
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

    public static bool TryParse(string? text, [NotNullWhen(true)] out PackageVersion? version)
    {
        version = null;
        if (text is null)
        {
            return false;
        }

        var trimmed = TrimPythonSpace(text);
        // The grammar is ASCII; rejecting the rest up front keeps case-insensitive matching exact.
        if (trimmed.Length == 0 || !Ascii.IsValid(trimmed))
        {
            return false;
        }

        if (TryParseRelease(trimmed) is { } release)
        {
            version = new PackageVersion { Release = release };
            return true;
        }

        var match = VersionPattern().Match(trimmed.ToLowerInvariant());
        if (!match.Success)
        {
            return false;
        }

        try
        {
            version = FromMatch(match);
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    public static PackageVersion Parse(string text) =>
        TryParse(text, out var version) ? version : throw new FormatException($"'{text}' is not a valid PEP 440 version.");

    /// <summary>The PEP 440 normal form, e.g. "1!2.0rc1.post3.dev4+ubuntu.1".</summary>
    public override string ToString() => Format(Release.Count);

    /// <summary>PyPI's release identity: the normal form with trailing ".0" release parts removed ("1.0.0" → "1").</summary>
    public string ToCanonicalString() => Format(TrimmedReleaseLength());

    public int CompareTo(PackageVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var result = Epoch.CompareTo(other.Epoch);
        if (result != 0)
        {
            return result;
        }

        result = CompareRelease(other);
        if (result != 0)
        {
            return result;
        }

        result = PreRank().CompareTo(other.PreRank());
        if (result != 0)
        {
            return result;
        }

        if (Pre is { } pre && other.Pre is { } otherPre)
        {
            result = string.CompareOrdinal(pre.Label, otherPre.Label);
            if (result != 0)
            {
                return result;
            }

            result = pre.Number.CompareTo(otherPre.Number);
            if (result != 0)
            {
                return result;
            }
        }

        // No post release sorts before any post release.
        result = (Post ?? -1).CompareTo(other.Post ?? -1);
        if (result != 0)
        {
            return result;
        }

        // No dev release sorts after any dev release.
        result = (Dev ?? long.MaxValue).CompareTo(other.Dev ?? long.MaxValue);
        if (result == 0 && Dev is null != other.Dev is null)
        {
            result = Dev is null ? 1 : -1;
        }

        return result != 0 ? result : LocalLabel.Compare(Local, other.Local);
    }

    public bool Equals(PackageVersion? other) => other is not null && CompareTo(other) == 0;
    public override bool Equals(object? obj) => Equals(obj as PackageVersion);

    public override int GetHashCode()
    {
        // Hash exactly what CompareTo looks at: trailing zero release parts do not count.
        var hash = new HashCode();
        hash.Add(Epoch);
        for (var i = 0; i < TrimmedReleaseLength(); i++)
        {
            hash.Add(Release[i]);
        }

        hash.Add(Pre);
        hash.Add(Post);
        hash.Add(Dev);
        hash.Add(Local, StringComparer.Ordinal);
        return hash.ToHashCode();
    }

    public static bool operator ==(PackageVersion? left, PackageVersion? right) => left is null ? right is null : left.Equals(right);
    public static bool operator !=(PackageVersion? left, PackageVersion? right) => !(left == right);
    public static bool operator <(PackageVersion left, PackageVersion right) => left.CompareTo(right) < 0;
    public static bool operator >(PackageVersion left, PackageVersion right) => left.CompareTo(right) > 0;
    public static bool operator <=(PackageVersion left, PackageVersion right) => left.CompareTo(right) <= 0;
    public static bool operator >=(PackageVersion left, PackageVersion right) => left.CompareTo(right) >= 0;

    private static PackageVersion FromMatch(Match match)
    {
        var groups = match.Groups;
        var release = groups["release"].Value.Split('.').Select(ParseNumber).ToArray();

        (string, long)? pre = null;
        if (groups["pre_l"].Success)
        {
            var label = groups["pre_l"].Value switch
            {
                "alpha" or "a" => "a",
                "beta" or "b" => "b",
                _ => "rc", // c, pre, preview, rc
            };
            pre = (label, OptionalNumber(groups["pre_n"]));
        }

        long? post = null;
        if (groups["post_n1"].Success)
        {
            post = ParseNumber(groups["post_n1"].Value);
        }
        else if (groups["post_l"].Success)
        {
            post = OptionalNumber(groups["post_n2"]);
        }

        return new PackageVersion
        {
            Epoch = groups["epoch"].Success ? int.Parse(groups["epoch"].Value, NumberStyles.None, CultureInfo.InvariantCulture) : 0,
            Release = release,
            Pre = pre,
            Post = post,
            Dev = groups["dev_l"].Success ? OptionalNumber(groups["dev_n"]) : null,
            Local = groups["local"].Success ? LocalLabel.Normalize(groups["local"].Value) : null,
        };
    }

    // Python's \s (str.isspace) also counts the separators U+001C–U+001F, which char.IsWhiteSpace does not.
    private static string TrimPythonSpace(string text)
    {
        static bool IsSpace(char c) => char.IsWhiteSpace(c) || c is >= '\x1c' and <= '\x1f';
        var (start, end) = (0, text.Length);
        while (start < end && IsSpace(text[start]))
        {
            start++;
        }

        while (end > start && IsSpace(text[end - 1]))
        {
            end--;
        }

        return text[start..end];
    }

    /// <summary>
    /// The release segments of a version that is nothing but a release ("1.2.3"), as most are, read without the regex
    /// (a start parses every file name of the folders); null for anything else, which the regex then reads.
    /// </summary>
    private static long[]? TryParseRelease(string text)
    {
        // 18 digits always fit a long; a longer segment goes to the regex, which decides as before.
        const int MaxDigits = 18;
        var release = new long[text.AsSpan().Count('.') + 1];
        var (segment, digits) = (0, 0);
        foreach (var c in text)
        {
            if (c == '.')
            {
                if (digits == 0)
                {
                    return null;
                }

                (segment, digits) = (segment + 1, 0);
            }
            else if (char.IsAsciiDigit(c) && digits < MaxDigits)
            {
                release[segment] = (release[segment] * 10) + (c - '0');
                digits++;
            }
            else
            {
                return null;
            }
        }

        return digits == 0 ? null : release;
    }

    private static long OptionalNumber(Group group) => group.Success ? ParseNumber(group.Value) : 0;

    private static long ParseNumber(string digits) => long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);

    // packaging's key: a dev-only release sorts before its pre-releases, a final release after them.
    private int PreRank() => Pre is not null ? 0 : Post is null && Dev is not null ? -1 : 1;

    private int CompareRelease(PackageVersion other)
    {
        var length = Math.Max(Release.Count, other.Release.Count);
        for (var i = 0; i < length; i++)
        {
            var left = i < Release.Count ? Release[i] : 0;
            var right = i < other.Release.Count ? other.Release[i] : 0;
            if (left != right)
            {
                return left.CompareTo(right);
            }
        }

        return 0;
    }

    private int TrimmedReleaseLength()
    {
        var length = Release.Count;
        while (length > 1 && Release[length - 1] == 0)
        {
            length--;
        }

        return length;
    }

    private string Format(int releaseLength)
    {
        var builder = new StringBuilder();
        if (Epoch != 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{Epoch}!");
        }

        builder.AppendJoin('.', Release.Take(releaseLength));
        if (Pre is { } pre)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{pre.Label}{pre.Number}");
        }

        if (Post is { } post)
        {
            builder.Append(CultureInfo.InvariantCulture, $".post{post}");
        }

        if (Dev is { } dev)
        {
            builder.Append(CultureInfo.InvariantCulture, $".dev{dev}");
        }

        if (Local is not null)
        {
            builder.Append('+').Append(Local);
        }

        return builder.ToString();
    }

    // packaging's VERSION_PATTERN, matched against lowercased, trimmed ASCII input.
    [GeneratedRegex("""
        ^v?
        (?:(?<epoch>[0-9]+)!)?
        (?<release>[0-9]+(?:\.[0-9]+)*)
        (?:[-_.]?(?<pre_l>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<pre_n>[0-9]+)?)?
        (?:-(?<post_n1>[0-9]+)|[-_.]?(?<post_l>post|rev|r)[-_.]?(?<post_n2>[0-9]+)?)?
        (?:[-_.]?(?<dev_l>dev)[-_.]?(?<dev_n>[0-9]+)?)?
        (?:\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?
        \z
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.ExplicitCapture)]
    private static partial Regex VersionPattern();
}
