namespace PypiLocal.Core.Auth;

/// <summary>What a new token is for: its name, its grants, and for minted tokens the publisher and expiry.</summary>
public sealed record TokenRequest(string Name, IReadOnlyList<AccessGrant> Grants, PublisherIdentity? Publisher = null, DateTimeOffset? Expires = null, string? CreatedBy = null);
