using System.Security.Cryptography;
using System.Text;
using PypiLocal.Core.Catalog;

namespace PypiLocal.Core.Auth;

/// <summary>
/// Which projects a caller's lists show: every project (anyone, where reading needs no account, and accounts whose
/// read right covers every project), or only those the caller may read. Callers with the same read patterns share one
/// <see cref="Key"/>, so a filtered page is rendered and cached once for all of them, not once per account.
/// </summary>
public sealed class ReadScope
{
    /// <summary>No filter: today's pages, bytes and ETags.</summary>
    public static readonly ReadScope Everything = new(null);

    private readonly GrantSet? _rights;

    private ReadScope(GrantSet? rights)
    {
        _rights = rights;
        Key = rights is null ? "" : KeyOf(rights);
    }

    public bool IsEverything => _rights is null;

    /// <summary>A short stable name of the read patterns (16 hex digits), "" for <see cref="Everything"/>: names the cached variant and marks its ETag.</summary>
    public string Key { get; }

    /// <summary>The scope of <paramref name="rights"/>: <see cref="Everything"/> when they allow reading every project.</summary>
    public static ReadScope Of(GrantSet rights) =>
        ReferenceEquals(rights, GrantSet.All) || rights.Covers(AccessRight.Read, ProjectPattern.Everything) ? Everything : new ReadScope(rights);

    /// <summary>Whether lists show <paramref name="project"/> (normalized).</summary>
    public bool Shows(string project) => _rights?.Allows(AccessRight.Read, project) ?? true;

    /// <summary>The projects of <paramref name="projects"/> this scope shows, in their order; the same list when it shows everything.</summary>
    public IReadOnlyList<ProjectSummary> Filter(IReadOnlyList<ProjectSummary> projects) =>
        IsEverything ? projects : [.. projects.Where(p => Shows(p.Project))];

    // Every right includes read, so every grant's pattern counts; a token's maker's rights limit them (GrantSet.Limit).
    private static string KeyOf(GrantSet rights)
    {
        var text = new StringBuilder();
        for (var set = rights; set is not null; set = set.Limit)
        {
            text.AppendJoin(' ', set.Grants.Select(g => g.Projects).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 8));
    }
}
