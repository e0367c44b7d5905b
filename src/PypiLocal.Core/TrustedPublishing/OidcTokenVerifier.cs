using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using PypiLocal.Core.Auth;

namespace PypiLocal.Core.TrustedPublishing;

/// <summary>
/// Verifies an OIDC identity token with Microsoft.IdentityModel: signature against the issuer's keys
/// (<see cref="OidcIssuerKeys"/>), issuer, audience, expiry and not-before.
/// </summary>
public sealed class OidcTokenVerifier
{
    // CI clocks are kept, and a token lives minutes: a small allowance, not IdentityModel's five minutes.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private readonly JsonWebTokenHandler _handler = new();
    private readonly Dictionary<string, OidcIssuerKeys> _issuers;
    private readonly string _audience;

    public OidcTokenVerifier(IOptions<TrustedPublishingOptions> options, HttpClient http, TimeProvider time)
    {
        _audience = options.Value.Audience;
        _issuers = options.Value.Issuers.ToDictionary(i => i.Url, i => new OidcIssuerKeys(i, http, time), StringComparer.Ordinal);
    }

    /// <summary>The token's issuer and string claims once every check passed; otherwise throws with the reason.</summary>
    public async Task<PublisherIdentity> VerifyAsync(string token, CancellationToken cancellationToken)
    {
        if (!_handler.CanReadToken(token))
        {
            throw MintRefusedException.InvalidToken("The token is not a JSON Web Token.");
        }

        var unverified = _handler.ReadJsonWebToken(token);
        if (!_issuers.TryGetValue(unverified.Issuer, out var keys))
        {
            throw MintRefusedException.InvalidToken($"The token's issuer '{unverified.Issuer}' is not one this index trusts.");
        }

        var parameters = new TokenValidationParameters
        {
            ValidIssuer = unverified.Issuer,
            ValidAudience = _audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = ClockSkew,
            IssuerSigningKeys = await KeysAsync(keys, unverified, cancellationToken),
        };
        var result = await _handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid)
        {
            throw MintRefusedException.InvalidToken(Reason(result.Exception, unverified, parameters));
        }

        var claims = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var claim in ((JsonWebToken)result.SecurityToken).Claims)
        {
            if (claim.ValueType == System.Security.Claims.ClaimValueTypes.String)
            {
                claims.TryAdd(claim.Type, claim.Value);
            }
        }

        return new PublisherIdentity(unverified.Issuer, claims);
    }

    private static async Task<IReadOnlyList<SecurityKey>> KeysAsync(OidcIssuerKeys keys, JsonWebToken token, CancellationToken cancellationToken)
    {
        try
        {
            return await keys.ForAsync(token.Kid is { Length: > 0 } kid ? kid : null, cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw MintRefusedException.InvalidToken($"The signing keys of issuer '{token.Issuer}' could not be fetched from its discovery document ({e.GetType().Name}); try again.");
        }
    }

    // IdentityModel hides the values in its messages; a CI log needs them, and none is secret.
    private static string Reason(Exception? failure, JsonWebToken token, TokenValidationParameters parameters) => failure switch
    {
        SecurityTokenInvalidAudienceException => $"The token's audience ({string.Join(", ", token.Audiences)}) is not this index's ('{parameters.ValidAudience}'): ask for the audience GET /_/oidc/audience answers.",
        SecurityTokenExpiredException => $"The token expired at {token.ValidTo:u}.",
        SecurityTokenNotYetValidException => $"The token is not valid before {token.ValidFrom:u}.",
        SecurityTokenNoExpirationException => "The token has no expiry.",
        SecurityTokenSignatureKeyNotFoundException => $"The token is signed with key '{token.Kid}', which its issuer '{token.Issuer}' does not publish.",
        SecurityTokenInvalidSignatureException => "The token's signature does not verify with its issuer's keys.",
        SecurityTokenInvalidIssuerException => $"The token's issuer '{token.Issuer}' is not one this index trusts.",
        _ => $"The token could not be verified: {failure?.GetType().Name ?? "unknown failure"}.",
    };
}
