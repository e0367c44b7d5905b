namespace PypiLocal.Core.Auth;

/// <summary>API tokens (username <c>__token__</c>), kept as hashes only, shared by every node.</summary>
public interface ITokenStore
{
    /// <summary>Makes a token and keeps its hash; the secret is in the answer only.</summary>
    Task<CreatedToken> CreateAsync(TokenRequest request, CancellationToken cancellationToken);

    /// <summary>Removes a token; true when it was there.</summary>
    Task<bool> DeleteAsync(ApiToken token, CancellationToken cancellationToken);

    /// <summary>Every unexpired token.</summary>
    Task<IReadOnlyList<ApiToken>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The unexpired token whose secret is <paramref name="secret"/>, read from storage now (so a revocation anywhere counts at once), or null.</summary>
    Task<ApiToken?> FindAsync(string secret, CancellationToken cancellationToken);
}
