namespace PypiLocal.Core.Auth;

/// <summary>One right on the projects a pattern matches: <c>upload corp-*</c>.</summary>
/// <param name="Right">What may be done (and everything a lesser right allows).</param>
/// <param name="Projects">A normalized project name or pattern; <c>*</c> for every project.</param>
public sealed record AccessGrant(AccessRight Right, string Projects)
{
    public bool Allows(AccessRight right, string project) => Right >= right && ProjectPattern.Matches(Projects, project);

    public override string ToString() => $"{Right.ToString().ToLowerInvariant()} {Projects}";

    /// <summary>
    /// Reads <c>RIGHT PATTERN [PATTERN…]</c> (<c>upload widgets corp-*</c>; a right alone means every project), the
    /// form of a line of the rights file and of an <c>Auth:Rights</c> setting; throws <see cref="FormatException"/>.
    /// </summary>
    public static IReadOnlyList<AccessGrant> Parse(string text)
    {
        var words = text.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            throw new FormatException("a grant needs a right (read, upload, maintain, admin) and project patterns.");
        }

        var right = ParseRight(words[0]);
        var patterns = words.Length == 1 ? [ProjectPattern.Everything] : words[1..];
        return patterns.Select(p => ProjectPattern.IsValid(p)
                ? new AccessGrant(right, ProjectPattern.Normalize(p))
                : throw new FormatException($"'{p}' is not a project name or pattern (letters, digits, '-', '_', '.', '*', '?')."))
            .ToList();
    }

    public static AccessRight ParseRight(string word) => word.ToLowerInvariant() switch
    {
        "read" => AccessRight.Read,
        "upload" => AccessRight.Upload,
        "maintain" => AccessRight.Maintain,
        "admin" => AccessRight.Admin,
        _ => throw new FormatException($"unknown right '{word}' (use read, upload, maintain or admin)."),
    };
}
