using PypiLocal.Core.Auth;

namespace PypiLocal.Core.Audit;

/// <summary>Who made a change: the account or token name, the token's public id (never its secret), and for a minted token the publisher's claims.</summary>
public sealed record AuditActor(string User, string? TokenId = null, PublisherIdentity? Publisher = null)
{
    public static AuditActor Of(IndexUser user) => new(user.Name, user.TokenId, user.Publisher);
}
