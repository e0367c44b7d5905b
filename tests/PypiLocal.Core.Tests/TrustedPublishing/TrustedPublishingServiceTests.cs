using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PypiLocal.Core.Audit;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Tests.Support;
using PypiLocal.Core.TrustedPublishing;
using PypiLocal.Testing;
using PypiLocal.Testing.Oidc;

namespace PypiLocal.Core.Tests.TrustedPublishing;

/// <summary>The token exchange over a pinned JWKS file: every refusal says why, the minted token is scoped and short-lived.</summary>
public sealed class TrustedPublishingServiceTests : IAsyncLifetime
{
    private const string Issuer = "https://token.actions.example";
    private readonly TestOidcIssuer _issuer = TestOidcIssuer.Pinned(Issuer);
    private readonly TempFolder _folder = new("pypilocal-oidc-tests");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly TestAudit _audit = new();
    private TrustedPublishingService _service = null!;
    private BlobTokenStore _tokens = null!;

    public Task InitializeAsync()
    {
        var options = Options.Create(new TrustedPublishingOptions
        {
            Issuers = [new OidcIssuerSettings { Url = Issuer, JwksFile = _issuer.WriteJwks() }],
            Publishers =
            [
                new TrustedPublisherSettings
                {
                    Issuer = Issuer,
                    Claims = new() { ["repository"] = "acme/widgets", ["workflow_ref"] = "acme/widgets/.github/workflows/release.yml@*" },
                    Projects = ["Widgets", "widgets-extra"],
                },
            ],
        });
        Assert.True(new TrustedPublishingOptionsValidator().Validate(null, options.Value).Succeeded);
        _tokens = Auth.BlobTokenStoreTests.InFolder(_folder.Combine("state"), _time);
        _service = new TrustedPublishingService(options, new OidcTokenVerifier(options, new HttpClient(), _time), _tokens, _audit.Trail, _time, NullLogger<TrustedPublishingService>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _issuer.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task A_matching_workflow_gets_a_token_for_its_projects_only_that_works_for_15_minutes()
    {
        var minted = await _service.MintAsync(_issuer.Issue(TestOidcIssuer.GitHubClaims("acme/widgets"), "pypilocal"), CancellationToken.None);

        var token = await _tokens.FindAsync(minted.Token, CancellationToken.None);
        Assert.NotNull(token);
        Assert.Equal(AccessGrant.Parse("upload widgets widgets-extra"), token.Rights.Grants);
        Assert.Equal(_time.GetUtcNow().AddMinutes(15), minted.Expires);
        Assert.Equal(Issuer, token.Publisher!.Issuer);
        Assert.Equal("acme/widgets", token.Publisher.Claim("repository"));
        _time.Advance(TimeSpan.FromMinutes(15));
        Assert.Null(await _tokens.FindAsync(minted.Token, CancellationToken.None));

        // The audit trail names the token (never its secret) and the publisher's claims.
        var mint = Assert.Single(await _audit.EventsAsync());
        Assert.Equal(AuditAction.TokenMint, mint.Action);
        Assert.Equal(token.Id, mint.Actor.TokenId);
        Assert.Equal("acme/widgets", mint.Actor.Publisher!.Claim("repository"));
        Assert.DoesNotContain(minted.Token, System.Text.Json.JsonSerializer.Serialize(mint, AuditJsonContext.Default.AuditEvent), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_repository_is_refused_naming_the_claims_it_carried()
    {
        var refusal = await RefusalAsync(_issuer.Issue(TestOidcIssuer.GitHubClaims("mallory/widgets"), "pypilocal"));

        Assert.Equal("invalid-publisher", refusal.Code);
        Assert.Contains("repository 'mallory/widgets'", refusal.Message, StringComparison.Ordinal);
        Assert.Empty(await _audit.EventsAsync());
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused_naming_this_one()
    {
        var refusal = await RefusalAsync(_issuer.Issue(TestOidcIssuer.GitHubClaims("acme/widgets"), "pypi"));

        Assert.Equal("invalid-token", refusal.Code);
        Assert.Contains("(pypi) is not this index's ('pypilocal')", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        var token = _issuer.Issue(TestOidcIssuer.GitHubClaims("acme/widgets"), "pypilocal", notBefore: DateTime.UtcNow.AddHours(-2), lifetime: TimeSpan.FromMinutes(5));

        Assert.StartsWith("The token expired at ", (await RefusalAsync(token)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_not_yet_valid_is_refused()
    {
        var token = _issuer.Issue(TestOidcIssuer.GitHubClaims("acme/widgets"), "pypilocal", notBefore: DateTime.UtcNow.AddHours(1));

        Assert.StartsWith("The token is not valid before ", (await RefusalAsync(token)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_signed_with_a_key_the_issuer_does_not_publish_is_refused()
    {
        var token = _issuer.Issue(TestOidcIssuer.GitHubClaims("acme/widgets"), "pypilocal", signWith: _issuer.ForeignKey);

        var refusal = await RefusalAsync(token);

        Assert.Equal("invalid-token", refusal.Code);
        Assert.Contains("signed with key 'not-published'", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Garbage_and_an_empty_payload_are_refused_with_their_codes()
    {
        Assert.Equal("invalid-token", (await RefusalAsync("not-a-jwt")).Code);
        Assert.Equal("invalid-payload", (await RefusalAsync(null)).Code);
    }

    private async Task<MintRefusedException> RefusalAsync(string? token)
    {
        var refusal = await Assert.ThrowsAsync<MintRefusedException>(() => _service.MintAsync(token, CancellationToken.None));
        Assert.Empty(await _tokens.ListAsync(CancellationToken.None));
        return refusal;
    }
}
