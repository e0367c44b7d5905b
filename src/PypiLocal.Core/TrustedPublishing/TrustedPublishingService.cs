using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Audit;
using PypiLocal.Core.Auth;

namespace PypiLocal.Core.TrustedPublishing;

/// <summary>
/// PyPI's token exchange (<c>POST /_/oidc/mint-token</c>): a verified identity token that matches a configured
/// trusted publisher buys an upload token for that publisher's projects only, short-lived, kept with the other tokens (so every node accepts it).
/// </summary>
public sealed class TrustedPublishingService(
    IOptions<TrustedPublishingOptions> options,
    OidcTokenVerifier verifier,
    ITokenStore tokens,
    AuditTrail audit,
    TimeProvider time,
    ILogger<TrustedPublishingService> logger)
{
    public bool Enabled => options.Value.Enabled;

    public string Audience => options.Value.Audience;

    /// <summary>The upload token and when it expires; throws <see cref="MintRefusedException"/> with the reason.</summary>
    public async Task<MintedToken> MintAsync(string? identityToken, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            throw new MintRefusedException("not-enabled", "Trusted publishing functionality not enabled");
        }

        if (string.IsNullOrWhiteSpace(identityToken))
        {
            throw new MintRefusedException("invalid-payload", "The payload must be a JSON object: {\"token\": \"<OIDC identity token>\"}.");
        }

        var identity = await verifier.VerifyAsync(identityToken, cancellationToken);
        var publishers = options.Value.Publishers.Where(p => p.Issuer == identity.Issuer && p.Matches(identity.Claims)).ToList();
        if (publishers.Count == 0)
        {
            throw new MintRefusedException("invalid-publisher", $"Valid token, but no trusted publisher matches its claims ({Describe(identity, options.Value)}).");
        }

        var projects = publishers.SelectMany(p => p.Projects).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var expires = time.GetUtcNow() + options.Value.TokenLifetime;
        var name = "trusted:" + (identity.Claim("repository") ?? identity.Claim("project_path") ?? identity.Claim("sub") ?? identity.Issuer);
        // Upload only, and only to the publisher's projects: a CI identity never yanks or deletes.
        var grants = projects.Select(p => new AccessGrant(AccessRight.Upload, ProjectPattern.Normalize(p))).ToList();
        var created = await tokens.CreateAsync(new TokenRequest(name, grants, identity, expires), cancellationToken);
        await audit.RecordAsync(new AuditActor(name, created.Token.Id, identity), new AuditChange(AuditAction.TokenMint, Detail: $"projects {string.Join(", ", projects)}, until {expires:O}"));
        logger.LogInformation("Minted upload token {Id} for {Name} ({Issuer}) on {Projects}, until {Expires}", created.Token.Id, name, identity.Issuer, string.Join(", ", projects), expires);
        return new MintedToken(created.Secret, expires);
    }

    // The claims the configured publishers look at, with the token's values: what a CI log needs to fix the mismatch.
    private static string Describe(PublisherIdentity identity, TrustedPublishingOptions options) =>
        string.Join(", ", options.Publishers
            .Where(p => p.Issuer == identity.Issuer)
            .SelectMany(p => p.Claims.Keys)
            .Distinct(StringComparer.Ordinal)
            .Select(claim => $"{claim} '{identity.Claim(claim) ?? "(none)"}'"));
}

/// <summary>A minted upload token (<c>__token__</c>'s password) and when it stops working.</summary>
public sealed record MintedToken(string Token, DateTimeOffset Expires);
