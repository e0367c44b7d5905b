using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace PypiLocal.Protocol.Names;

/// <summary>PEP 503 / PEP 508 project names: validation and normalization.</summary>
public static partial class ProjectName
{
    /// <summary>True when <paramref name="name"/> is a valid project name (ASCII letters, digits, <c>._-</c>, alphanumeric at both ends).</summary>
    public static bool IsValid(string name) => name is not null && ValidName().IsMatch(name);

    /// <summary>Lowercase, with each run of <c>-_.</c> collapsed into one <c>-</c>; the name itself when it is so already.</summary>
    public static string Normalize(string name)
    {
        // Most names asked for are normalized already (they come from URLs this index wrote): no copy for those.
        if (Ascii.IsValid(name) && name.AsSpan().IndexOfAny(ChangedByNormalizing) < 0 && !name.Contains("--", StringComparison.Ordinal))
        {
            return name;
        }

        var builder = new StringBuilder(name.Length);
        var inSeparatorRun = false;
        foreach (var c in name)
        {
            if (c is '-' or '_' or '.')
            {
                if (!inSeparatorRun)
                {
                    builder.Append('-');
                }

                inSeparatorRun = true;
                continue;
            }

            inSeparatorRun = false;
            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    private static readonly SearchValues<char> ChangedByNormalizing = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ_.");

    /// <summary>True when <paramref name="name"/> is already in normalized form.</summary>
    public static bool IsNormalized(string name) => name is not null && NormalizedName().IsMatch(name);

    /// <summary>The name as it must appear in a distribution filename: normalized, with <c>-</c> turned into <c>_</c>.</summary>
    public static string ToFilenameComponent(string name) => Normalize(name).Replace('-', '_');

    // \z, not $: "$" would accept a trailing newline. Explicit ranges, not IgnoreCase, which would admit the Kelvin sign.
    [GeneratedRegex(@"^([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])\z")]
    private static partial Regex ValidName();

    [GeneratedRegex(@"^[a-z0-9]+(-[a-z0-9]+)*\z")]
    private static partial Regex NormalizedName();
}
