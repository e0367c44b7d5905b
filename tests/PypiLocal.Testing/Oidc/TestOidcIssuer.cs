using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace PypiLocal.Testing.Oidc;

/// <summary>
/// An OIDC issuer of our own, as GitHub Actions is one: a signing key, its JWKS and discovery document, and
/// identity tokens signed in the test. <see cref="ServeAsync"/> serves the documents from a real HTTP server process
/// (Python's http.server) on loopback, so the index fetches keys as it would from GitHub.
/// </summary>
public sealed class TestOidcIssuer : IAsyncDisposable
{
    private static readonly string[] ResponseTypes = ["id_token"];
    private static readonly string[] SubjectTypes = ["public"];
    private static readonly string[] SigningAlgorithms = ["RS256"];

    private readonly List<RsaSecurityKey> _keys = [new(RSA.Create(2048)) { KeyId = "test-key-1" }];
    private readonly TempFolder _root = new("pypilocal-oidc-issuer");
    private BackgroundProcess? _server;

    private TestOidcIssuer(string url) => Url = url;

    /// <summary>The issuer URL its tokens carry in <c>iss</c>.</summary>
    public string Url { get; }

    /// <summary>A key the issuer does not publish, for the "unknown key" case.</summary>
    public RsaSecurityKey ForeignKey { get; } = new(RSA.Create(2048)) { KeyId = "not-published" };

    /// <summary>An issuer whose keys are given to the index as a pinned JWKS file (no server).</summary>
    public static TestOidcIssuer Pinned(string url) => new(url);

    /// <summary>An issuer serving <c>/.well-known/openid-configuration</c> and its JWKS on a loopback port.</summary>
    public static async Task<TestOidcIssuer> ServeAsync()
    {
        var port = FreePort.Next();
        var issuer = new TestOidcIssuer($"http://127.0.0.1:{port}");
        var wellKnown = Directory.CreateDirectory(issuer._root.Combine(".well-known")).FullName;
        await File.WriteAllTextAsync(Path.Combine(wellKnown, "openid-configuration"), JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["issuer"] = issuer.Url,
            ["jwks_uri"] = issuer.Url + "/.well-known/jwks",
            ["response_types_supported"] = ResponseTypes,
            ["subject_types_supported"] = SubjectTypes,
            ["id_token_signing_alg_values_supported"] = SigningAlgorithms,
        }));
        issuer.WriteJwks(issuer.ServedJwks);
        issuer._server = BackgroundProcess.Start(
            "python3", ["-m", "http.server", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--directory", issuer._root.Path], "python3");
        using var http = new HttpClient();
        await issuer._server.WaitUntilAsync(
            async () => (await http.GetAsync(issuer.Url + "/.well-known/openid-configuration")).IsSuccessStatusCode, TimeSpan.FromSeconds(30), "the test OIDC issuer");
        return issuer;
    }

    private string ServedJwks => _root.Combine(".well-known", "jwks");

    /// <summary>
    /// Rotates the signing key as issuers do: a new key signs from now on, and the served key set lists it beside
    /// the old one. An index that cached the old set must fetch it again to accept the new tokens.
    /// </summary>
    public void RotateKey()
    {
        _keys.Add(new RsaSecurityKey(RSA.Create(2048)) { KeyId = $"test-key-{_keys.Count + 1}" });
        WriteJwks(ServedJwks);
    }

    /// <summary>Writes the issuer's public key set (what <c>jwks_uri</c> serves) to <paramref name="path"/> (default: a file of its own).</summary>
    public string WriteJwks(string? path = null)
    {
        path ??= _root.Combine("jwks.json");
        var keys = _keys.Select(key => (key.KeyId, Parameters: key.Rsa.ExportParameters(false))).Select(key => new
        {
            kty = "RSA", use = "sig", alg = "RS256", kid = key.KeyId, n = Base64UrlEncoder.Encode(key.Parameters.Modulus), e = Base64UrlEncoder.Encode(key.Parameters.Exponent),
        });
        // Written whole, then renamed: the server process never serves half a file.
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(new { keys }));
        File.Move(temp, path, overwrite: true);
        return path;
    }

    /// <summary>
    /// A signed identity token with <paramref name="claims"/> for <paramref name="audience"/>, valid from
    /// <paramref name="notBefore"/> (default now) for <paramref name="lifetime"/> (default 5 minutes).
    /// </summary>
    public string Issue(
        IReadOnlyDictionary<string, object> claims,
        string audience,
        DateTime? notBefore = null,
        TimeSpan? lifetime = null,
        SecurityKey? signWith = null)
    {
        var from = notBefore ?? DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Url,
            Audience = audience,
            IssuedAt = from,
            NotBefore = from,
            Expires = from + (lifetime ?? TimeSpan.FromMinutes(5)),
            Claims = claims.ToDictionary(c => c.Key, c => c.Value),
            SigningCredentials = new SigningCredentials(signWith ?? _keys[^1], SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>The claims GitHub Actions puts in a workflow's token for <paramref name="repository"/>.</summary>
    public static Dictionary<string, object> GitHubClaims(string repository, string workflow = "release.yml") => new()
    {
        ["sub"] = $"repo:{repository}:environment:pypi",
        ["repository"] = repository,
        ["repository_owner"] = repository.Split('/')[0],
        ["workflow_ref"] = $"{repository}/.github/workflows/{workflow}@refs/tags/v1.0",
        ["ref"] = "refs/tags/v1.0",
        ["environment"] = "pypi",
    };

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _root.Dispose();
        foreach (var key in _keys)
        {
            key.Rsa.Dispose();
        }

        ForeignKey.Rsa.Dispose();
    }
}
