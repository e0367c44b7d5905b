using System.Text.Json.Serialization;

namespace PypiLocal.Core.Auth;

/// <summary>A stored API token: never the secret, only its SHA-256.</summary>
/// <param name="Id">A short public identifier, for listing and revoking.</param>
/// <param name="Name">Who or what uses it (shown as the uploader).</param>
/// <param name="Sha256">Lowercase hex SHA-256 of the secret.</param>
/// <param name="Projects">Tokens from before rights: the normalized projects it may change, or null for all.</param>
/// <param name="Created">When it was made.</param>
/// <param name="Publisher">The trusted publisher it was minted for, or null for a plain token.</param>
/// <param name="Expires">When it stops working (minted tokens), or null for never.</param>
/// <param name="Grants">What it may do; null for tokens from before rights (see <see cref="Rights"/>).</param>
/// <param name="CreatedBy">The account that made it over HTTP, or null (command line, trusted publishing).</param>
public sealed record ApiToken(
    string Id,
    string Name,
    string Sha256,
    IReadOnlyList<string>? Projects,
    DateTimeOffset Created,
    PublisherIdentity? Publisher = null,
    DateTimeOffset? Expires = null,
    IReadOnlyList<AccessGrant>? Grants = null,
    string? CreatedBy = null)
{
    public bool IsExpired(DateTimeOffset now) => Expires is { } expires && now >= expires;

    /// <summary>Its grants; a token from before rights may maintain its projects (what "update" allowed then).</summary>
    [JsonIgnore]
    public GrantSet Rights => new(Grants ?? (Projects ?? [ProjectPattern.Everything]).Select(p => new AccessGrant(AccessRight.Maintain, p)).ToList());
}
