namespace PypiLocal.Core.Auth;

/// <summary>Who is making a request: an htpasswd account, or an API token that may be limited to named projects.</summary>
/// <param name="Name">The account name, or the token's name for a token.</param>
/// <param name="Projects">Normalized projects a token may change, or null for any.</param>
/// <param name="IsToken">True for an API token.</param>
/// <param name="Publisher">
/// The trusted publisher behind a token minted for one (null for passwords and plain tokens): who PEP 740
/// attestations uploaded with it must be signed by.
/// </param>
/// <param name="TokenId">The API token's public id (never its secret), for the audit trail; null for passwords.</param>
public sealed record IndexUser(string Name, IReadOnlyList<string>? Projects = null, bool IsToken = false, PublisherIdentity? Publisher = null, string? TokenId = null)
{
    /// <summary>Used when the requested action needs no authentication.</summary>
    public static readonly IndexUser Anonymous = new("anonymous");

    /// <summary>Whether this user may change <paramref name="project"/> (normalized).</summary>
    public bool MayChange(string project) => Projects is null || Projects.Contains(project, StringComparer.Ordinal);
}
