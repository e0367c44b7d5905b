using System.Text.RegularExpressions;
using PypiLocal.Protocol.Names;

namespace PypiLocal.Core.Upstream;

/// <summary>
/// Which project names may come from upstream: glob patterns (<c>*</c>, <c>?</c>) matched against normalized names,
/// written in any spelling (<c>MyCompany_*</c> means <c>mycompany-*</c>). Deny wins over allow; no allow list allows all.
/// </summary>
public sealed class ProjectNamePatterns
{
    private readonly List<Regex> _allow;
    private readonly List<Regex> _deny;

    public ProjectNamePatterns(IEnumerable<string> allow, IEnumerable<string> deny)
    {
        _allow = allow.Select(ToRegex).ToList();
        _deny = deny.Select(ToRegex).ToList();
    }

    /// <summary>Whether a (normalized) project may be fetched from upstream.</summary>
    public bool Allows(string project) =>
        !_deny.Any(p => p.IsMatch(project)) && (_allow.Count == 0 || _allow.Any(p => p.IsMatch(project)));

    /// <summary>True when <paramref name="pattern"/> is a name with optional <c>*</c> and <c>?</c> wildcards.</summary>
    public static bool IsValid(string pattern) =>
        !string.IsNullOrWhiteSpace(pattern) && pattern.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '*' or '?');

    private static Regex ToRegex(string pattern)
    {
        // Normalize the literal parts as names are normalized; wildcards stay wildcards.
        var normalized = string.Concat(pattern.Trim().Split('*').Select(part => string.Join('?', part.Split('?').Select(NormalizePart))).Select((p, i) => i == 0 ? p : "*" + p));
        var regex = "^" + Regex.Escape(normalized).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$";
        return new Regex(regex, RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromMilliseconds(100));
    }

    private static string NormalizePart(string part) => part.Length == 0 ? part : ProjectName.Normalize(part);
}
