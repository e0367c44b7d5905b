namespace PypiLocal.Core.Auth;

/// <summary>API tokens (username <c>__token__</c>), kept as hashes only.</summary>
public interface ITokenStore
{
    /// <summary>False when no token storage is configured.</summary>
    bool IsConfigured { get; }

    /// <summary>Makes a token for <paramref name="name"/>, optionally limited to <paramref name="projects"/> (any spelling).</summary>
    Task<CreatedToken> CreateAsync(string name, IReadOnlyList<string>? projects, CancellationToken cancellationToken);

    /// <summary>
    /// Makes a token for a trusted publisher: uploads with it carry <paramref name="publisher"/>, the identity that
    /// PEP 740 attestations are checked against, until <paramref name="expires"/> (null: never).
    /// </summary>
    Task<CreatedToken> CreateAsync(string name, IReadOnlyList<string>? projects, PublisherIdentity? publisher, DateTimeOffset? expires, CancellationToken cancellationToken);

    /// <summary>Revokes every token whose id or name is <paramref name="idOrName"/>; returns how many.</summary>
    Task<int> RevokeAsync(string idOrName, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApiToken>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The unexpired token whose secret is <paramref name="secret"/>, compared in constant time, or null.</summary>
    Task<ApiToken?> FindAsync(string secret, CancellationToken cancellationToken);
}
