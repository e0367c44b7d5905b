using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PypiLocal.Testing;
using PypiLocal.Testing.Oidc;

namespace PypiLocal.EndToEndTests.Publishing;

/// <summary>
/// The publishing server with one trusted publisher: GitHub-style workflow tokens from repository acme/widgets,
/// issued by a test issuer whose discovery document and keys a real HTTP server process serves, may publish oidc-demo.
/// </summary>
public sealed class TrustedPublishingServer : PublishingServer
{
    private TestOidcIssuer? _oidc;

    public TestOidcIssuer Oidc => _oidc ?? throw new InvalidOperationException("The issuer has not started.");

    protected override async Task ConfigureAsync(Dictionary<string, string?> environment)
    {
        _oidc = await TestOidcIssuer.ServeAsync();
        environment["TrustedPublishing__Issuers__0__Url"] = Oidc.Url;
        environment["TrustedPublishing__Publishers__0__Issuer"] = Oidc.Url;
        environment["TrustedPublishing__Publishers__0__Claims__repository"] = "acme/widgets";
        environment["TrustedPublishing__Publishers__0__Projects__0"] = "oidc-demo";
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_oidc is not null)
        {
            await _oidc.DisposeAsync();
        }
    }
}

/// <summary>A CI job with only its OIDC identity publishes through PyPI's exchange, and cannot publish anything else.</summary>
public sealed class TrustedPublishingTests(TrustedPublishingServer server) : IClassFixture<TrustedPublishingServer>
{
    [Fact]
    public async Task A_workflow_identity_mints_a_token_that_twine_publishes_its_project_with_and_nothing_else()
    {
        using var http = new HttpClient { BaseAddress = new Uri(server.Server.BaseUrl) };
        var audience = (await http.GetFromJsonAsync<JsonElement>("/_/oidc/audience")).GetProperty("audience").GetString()!;
        using var response = await http.PostAsJsonAsync("/_/oidc/mint-token", new { token = server.Oidc.Issue(TestOidcIssuer.GitHubClaims("acme/widgets"), audience) });
        var minted = await response.Content.ReadFromJsonAsync<JsonElement>();
        var dist = Directory.CreateDirectory(Path.Combine(server.Dist, "oidc")).FullName;
        var own = DistributionBuilder.Wheel(dist, "oidc-demo", "1.0");
        var foreign = DistributionBuilder.Wheel(dist, "oidc-other", "1.0");
        var token = minted.GetProperty("token").GetString()!;

        var published = await server.TwineAsync("__token__", token, own);
        var refused = await server.TwineAsync("__token__", token, foreign);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(minted.GetProperty("success").GetBoolean());
        Assert.InRange(DateTimeOffset.FromUnixTimeSeconds(minted.GetProperty("expires").GetInt64()) - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
        published.EnsureSuccess("twine upload with the minted token");
        Assert.Contains(Path.GetFileName(own), (await server.ListedFilesAsync("oidc-demo")).Keys);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("403", PublishingServer.Flat(refused));
        Assert.Empty(await server.ListedFilesAsync("oidc-other"));
    }

    [Fact]
    public async Task Each_refused_exchange_answers_PyPIs_error_shape_with_a_reason_a_CI_log_makes_clear()
    {
        var claims = TestOidcIssuer.GitHubClaims("acme/widgets");
        var cases = new (string Token, string Code, string Reason)[]
        {
            (server.Oidc.Issue(claims, "pypi"), "invalid-token", "is not this index's ('pypilocal')"),
            (server.Oidc.Issue(claims, "pypilocal", notBefore: DateTime.UtcNow.AddHours(-1)), "invalid-token", "The token expired at"),
            (server.Oidc.Issue(TestOidcIssuer.GitHubClaims("mallory/widgets"), "pypilocal"), "invalid-publisher", "repository 'mallory/widgets'"),
            (server.Oidc.Issue(claims, "pypilocal", signWith: server.Oidc.ForeignKey), "invalid-token", "signed with key 'not-published'"),
        };
        using var http = new HttpClient { BaseAddress = new Uri(server.Server.BaseUrl) };

        foreach (var (token, code, reason) in cases)
        {
            using var response = await http.PostAsJsonAsync("/_/oidc/mint-token", new { token });
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();

            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Equal("Token request failed", body.GetProperty("message").GetString());
            var error = Assert.Single(body.GetProperty("errors").EnumerateArray());
            Assert.Equal(code, error.GetProperty("code").GetString());
            Assert.Contains(reason, error.GetProperty("description").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task After_the_issuer_rotates_its_key_the_index_fetches_the_keys_again_and_accepts_the_new_tokens()
    {
        using var http = new HttpClient { BaseAddress = new Uri(server.Server.BaseUrl) };
        var claims = TestOidcIssuer.GitHubClaims("acme/widgets");
        using var before = await http.PostAsJsonAsync("/_/oidc/mint-token", new { token = server.Oidc.Issue(claims, "pypilocal") });

        server.Oidc.RotateKey();
        using var after = await http.PostAsJsonAsync("/_/oidc/mint-token", new { token = server.Oidc.Issue(claims, "pypilocal") });

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }
}
