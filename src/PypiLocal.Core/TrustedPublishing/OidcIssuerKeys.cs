using System.Diagnostics.CodeAnalysis;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace PypiLocal.Core.TrustedPublishing;

/// <summary>
/// One issuer's signing keys: a pinned JWKS file's, or those its discovery document points to, kept for an hour and
/// fetched again before answering when a token names a key id they lack (issuers rotate keys). The same missing id
/// never fetches twice, and fetches are at least a second apart, so made-up key ids cannot flood the issuer.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "A lifetime singleton's SemaphoreSlim: it holds nothing to dispose unless AvailableWaitHandle is read, which this type never does.")]
internal sealed class OidcIssuerKeys
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromHours(1);
    private static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);

    private readonly IReadOnlyList<SecurityKey>? _pinned;
    private readonly string? _discovery;
    private readonly HttpDocumentRetriever? _retriever;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<string> _missing = new(StringComparer.Ordinal);
    private IReadOnlyList<SecurityKey> _keys = [];
    private DateTimeOffset _fetched = DateTimeOffset.MinValue;

    public OidcIssuerKeys(OidcIssuerSettings issuer, HttpClient http, TimeProvider time)
    {
        _time = time;
        if (issuer.JwksFile is { Length: > 0 } file)
        {
            _pinned = [.. new JsonWebKeySet(File.ReadAllText(file)).GetSigningKeys()];
            return;
        }

        _discovery = issuer.Url.TrimEnd('/') + "/.well-known/openid-configuration";
        _retriever = new HttpDocumentRetriever(http) { RequireHttps = _discovery.StartsWith("https:", StringComparison.Ordinal) };
    }

    /// <summary>The keys to check a token signed with <paramref name="keyId"/> against.</summary>
    public async Task<IReadOnlyList<SecurityKey>> ForAsync(string? keyId, CancellationToken cancellationToken)
    {
        if (_pinned is not null)
        {
            return _pinned;
        }

        if (!NeedsFetch(keyId))
        {
            return _keys;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (NeedsFetch(keyId))
            {
                var wait = _fetched + MinInterval - _time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _time, cancellationToken);
                }

                var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(_discovery!, _retriever!, cancellationToken);
                _keys = [.. configuration.SigningKeys];
                _fetched = _time.GetUtcNow();
                _missing.Clear();
                if (keyId is not null && !Holds(keyId))
                {
                    _missing.Add(keyId);
                }
            }

            return _keys;
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool NeedsFetch(string? keyId) =>
        _time.GetUtcNow() - _fetched > MaxAge || (keyId is not null && !Holds(keyId) && !_missing.Contains(keyId));

    private bool Holds(string keyId) => _keys.Any(k => k.KeyId == keyId);
}
