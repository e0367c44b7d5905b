using System.Buffers;
using System.Text;

namespace PypiLocal.Protocol.Names;

/// <summary>PEP 503 / PEP 508 project names: validation and normalization.</summary>
/// <remarks>
/// Checked character by character rather than by regular expression: every page and file request checks its name,
/// and the two regular expressions were about 1 % of a cached <c>.metadata</c> answer's CPU (bench/README.md).
/// ASCII ranges only: a Unicode letter such as the Kelvin sign is not a name character.
/// </remarks>
public static class ProjectName
{
    private static readonly SearchValues<char> NameCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    private static readonly SearchValues<char> NormalizedCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-");

    private static readonly SearchValues<char> ChangedByNormalizing = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ_.");

    /// <summary>True when <paramref name="name"/> is a valid project name (ASCII letters, digits, <c>._-</c>, alphanumeric at both ends).</summary>
    public static bool IsValid(string name) =>
        name is { Length: > 0 } && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1])
        && name.AsSpan().IndexOfAnyExcept(NameCharacters) < 0;

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

    /// <summary>True when <paramref name="name"/> is already in normalized form.</summary>
    public static bool IsNormalized(string name) =>
        name is { Length: > 0 } && name[0] != '-' && name[^1] != '-'
        && name.AsSpan().IndexOfAnyExcept(NormalizedCharacters) < 0 && !name.Contains("--", StringComparison.Ordinal);

    /// <summary>The name as it must appear in a distribution filename: normalized, with <c>-</c> turned into <c>_</c>.</summary>
    public static string ToFilenameComponent(string name) => Normalize(name).Replace('-', '_');
}
