namespace PypiLocal.Core.Auth;

/// <summary>
/// Everything one user or token may do: a right is allowed when any grant allows it and, for a token made by an
/// account, when that account may still do it (<paramref name="Limit"/>), so a token never outlives its maker's rights.
/// </summary>
public sealed record GrantSet(IReadOnlyList<AccessGrant> Grants, GrantSet? Limit = null)
{
    /// <summary>Admin on every project: an account when no rights are configured (as before rights existed), and the command line.</summary>
    public static readonly GrantSet All = new([new AccessGrant(AccessRight.Admin, ProjectPattern.Everything)]);

    public bool Allows(AccessRight right, string project) =>
        Grants.Any(g => g.Allows(right, project)) && (Limit?.Allows(right, project) ?? true);

    /// <summary>Whether any project at all allows <paramref name="right"/> (the project list, which names none).</summary>
    public bool AllowsAny(AccessRight right) => Grants.Any(g => g.Right >= right) && (Limit?.AllowsAny(right) ?? true);

    /// <summary>Whether <paramref name="right"/> is held on every project <paramref name="pattern"/> matches.</summary>
    public bool Covers(AccessRight right, string pattern) =>
        Grants.Any(g => g.Right >= right && ProjectPattern.Covers(g.Projects, pattern)) && (Limit?.Covers(right, pattern) ?? true);

    /// <summary>These grants, and only while <paramref name="limit"/> allows them too.</summary>
    public GrantSet Within(GrantSet limit) => this with { Limit = Limit is null ? limit : Limit.Within(limit) };

    public override string ToString() => Grants.Count == 0 ? "nothing" : string.Join(", ", Grants);

    // Records compare lists by reference; two sets with the same grants are the same.
    public bool Equals(GrantSet? other) => other is not null && Grants.SequenceEqual(other.Grants) && Equals(Limit, other.Limit);

    public override int GetHashCode() => Grants.Count;
}
