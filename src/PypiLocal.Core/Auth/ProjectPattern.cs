using System.IO.Enumeration;
using PypiLocal.Protocol.Names;

namespace PypiLocal.Core.Auth;

/// <summary>Project name patterns (<c>*</c>, <c>?</c>) matched against normalized names, written in any spelling.</summary>
public static class ProjectPattern
{
    public const string Everything = "*";

    /// <summary>True when <paramref name="pattern"/> is a name with optional <c>*</c> and <c>?</c> wildcards.</summary>
    public static bool IsValid(string? pattern) =>
        !string.IsNullOrWhiteSpace(pattern) && pattern.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '*' or '?');

    /// <summary>The pattern in normalized spelling (<c>Corp_*</c> is <c>corp-*</c>).</summary>
    public static string Normalize(string pattern) => ProjectName.Normalize(pattern.Trim());

    /// <summary>Whether a normalized <paramref name="project"/> matches <paramref name="pattern"/>.</summary>
    public static bool Matches(string pattern, string project) =>
        FileSystemName.MatchesSimpleExpression(Normalize(pattern), project, ignoreCase: false);

    /// <summary>Whether every name <paramref name="inner"/> matches is matched by <paramref name="outer"/> (exactly for literal names, conservatively for patterns).</summary>
    public static bool Covers(string outer, string inner)
    {
        var normalizedOuter = Normalize(outer);
        var normalizedInner = Normalize(inner);
        return normalizedOuter == Everything || normalizedOuter == normalizedInner
            || (!normalizedInner.Contains('*', StringComparison.Ordinal) && !normalizedInner.Contains('?', StringComparison.Ordinal) && Matches(normalizedOuter, normalizedInner));
    }
}
