using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using PypiLocal.Core.Auth;

namespace PypiLocal.Core.TrustedPublishing;

/// <summary>
/// Verifies an OIDC identity token with Microsoft.IdentityModel: signature against the issuer's keys, issuer,
/// audience, expiry and not-before. Keys come from the issuer's discovery document, cached and fetched again when a
/// token names a key id the cache does not hold (IdentityModel's configuration manager), or from a pinned JWKS file.
/// </summary>
public sealed class OidcTokenVerifier
{
    // CI clocks are kept, and a token lives minutes: a small allowance, not IdentityModel's five minutes.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private readonly JsonWebTokenHandler _handler = new();
    private readonly Dictionary<string, TokenValidationParameters> _issuers;

    public OidcTokenVerifier(IOptions<TrustedPublishingOptions> options, HttpClient http)
    {
        var settings = options.Value;
        _issuers = settings.Issuers.ToDictionary(i => i.Url, i => Parameters(i, settings.Audience, http), StringComparer.Ordinal);
    }

    /// <summary>The token's issuer and string claims once every check passed; otherwise throws with the reason.</summary>
    public async Task<PublisherIdentity> VerifyAsync(string token, CancellationToken cancellationToken)
    {
        if (!_handler.CanReadToken(token))
        {
            throw MintRefusedException.InvalidToken("The token is not a JSON Web Token.");
        }

        var unverified = _handler.ReadJsonWebToken(token);
        if (!_issuers.TryGetValue(unverified.Issuer, out var parameters))
        {
            throw MintRefusedException.InvalidToken($"The token's issuer '{unverified.Issuer}' is not one this index trusts.");
        }

        cancellationToken.ThrowIfCancellationRequested();
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

    private static TokenValidationParameters Parameters(OidcIssuerSettings issuer, string audience, HttpClient http)
    {
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = issuer.Url,
            ValidAudience = audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = ClockSkew,
        };
        if (issuer.JwksFile is { Length: > 0 } file)
        {
            parameters.IssuerSigningKeys = new JsonWebKeySet(File.ReadAllText(file)).GetSigningKeys();
        }
        else
        {
            var discovery = issuer.Url.TrimEnd('/') + "/.well-known/openid-configuration";
            parameters.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                discovery,
                new OpenIdConnectConfigurationRetriever(),
                new HttpDocumentRetriever(http) { RequireHttps = discovery.StartsWith("https:", StringComparison.Ordinal) })
            {
                // A token with an unknown key id makes it fetch again, but not more often than this.
                RefreshInterval = TimeSpan.FromSeconds(1),
            };
        }

        return parameters;
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
