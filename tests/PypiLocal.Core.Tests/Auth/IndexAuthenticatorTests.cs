using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Auth;

namespace PypiLocal.Core.Tests.Auth;

public sealed class IndexAuthenticatorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pypilocal-auth-").FullName;
    private readonly RecordingLogger _log = new();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private IndexAuthenticator Create(out BlobTokenStore tokens, string authenticate = "update", string? rights = null)
    {
        var passwords = Path.Combine(_folder, "htpasswd");
        File.WriteAllText(passwords, "alice:{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=\n");
        var options = Options.Create(new AuthOptions { Authenticate = authenticate, PasswordsFile = passwords });
        if (rights is not null)
        {
            options.Value.RightsFile = Path.Combine(_folder, "rights");
            File.WriteAllText(options.Value.RightsFile, rights);
        }

        tokens = BlobTokenStoreTests.InFolder(Path.Combine(_folder, "state"));
        return new IndexAuthenticator(options, new HtpasswdFile(options), tokens, new UserRights(options, NullLogger<UserRights>.Instance), _log);
    }

    private static TokenRequest Token(string name, string grant, PublisherIdentity? publisher = null) => new(name, AccessGrant.Parse(grant), publisher);

    private static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer abc")]
    [InlineData("Basic not-base64!")]
    public async Task Missing_credentials_ask_for_them(string? header)
    {
        var decision = await Create(out _).AuthorizeAsync(header, IndexAction.Update, CancellationToken.None);

        Assert.Equal(AccessResult.Challenge, decision.Result);
        Assert.Contains("Authentication required to upload", decision.Message);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_logged_without_the_password()
    {
        var decision = await Create(out _).AuthorizeAsync(Basic("alice", "hunter2"), IndexAction.Update, CancellationToken.None);

        Assert.Equal(AccessResult.Forbidden, decision.Result);
        Assert.Equal("Invalid or non-existent authentication information.", decision.Message);
        var line = Assert.Single(_log.Lines);
        Assert.Contains("alice", line);
        Assert.DoesNotContain("hunter2", line);
    }

    [Fact]
    public async Task The_right_password_lets_the_user_in()
    {
        var decision = await Create(out _).AuthorizeAsync(Basic("alice", "secret"), IndexAction.Update, CancellationToken.None);

        Assert.Equal(AccessResult.Allowed, decision.Result);
        Assert.Equal(new IndexUser("alice", GrantSet.All), decision.User);
    }

    [Fact]
    public async Task A_token_lets_its_holder_in_with_its_project_limits()
    {
        var authenticator = Create(out var tokens);
        var made = await tokens.CreateAsync(Token("ci", "maintain demo"), CancellationToken.None);

        var decision = await authenticator.AuthorizeAsync(Basic("__token__", made.Secret), IndexAction.Update, CancellationToken.None);
        var wrong = await authenticator.AuthorizeAsync(Basic("__token__", "pypilocal-guess"), IndexAction.Update, CancellationToken.None);

        Assert.Equal(AccessResult.Allowed, decision.Result);
        Assert.True(decision.User!.May(AccessRight.Maintain, "demo"));
        Assert.False(decision.User.May(AccessRight.Upload, "other"));
        Assert.Equal(AccessResult.Forbidden, wrong.Result);
        Assert.DoesNotContain(_log.Lines, l => l.Contains("pypilocal-guess", StringComparison.Ordinal));
        Assert.Equal(made.Token.Id, decision.User.TokenId);
    }

    [Fact]
    public async Task Reading_the_audit_trail_needs_the_admin_right_on_every_project_even_on_an_open_index()
    {
        var authenticator = Create(out var tokens, authenticate: ".");
        var limited = await tokens.CreateAsync(Token("ci", "admin demo"), CancellationToken.None);
        var unlimited = await tokens.CreateAsync(Token("ops", "admin"), CancellationToken.None);

        Assert.Equal(AccessResult.Challenge, (await authenticator.AuthorizeAsync(null, IndexAction.Admin, CancellationToken.None)).Result);
        Assert.Equal(AccessResult.Forbidden, (await authenticator.AuthorizeAsync(Basic("__token__", limited.Secret), IndexAction.Admin, CancellationToken.None)).Result);
        Assert.Equal(AccessResult.Forbidden, (await authenticator.AuthorizeAsync(Basic("alice", "wrong"), IndexAction.Admin, CancellationToken.None)).Result);
        Assert.Equal(AccessResult.Allowed, (await authenticator.AuthorizeAsync(Basic("__token__", unlimited.Secret), IndexAction.Admin, CancellationToken.None)).Result);
        Assert.Equal(new IndexUser("alice", GrantSet.All), (await authenticator.AuthorizeAsync(Basic("alice", "secret"), IndexAction.Admin, CancellationToken.None)).User);
    }

    [Fact]
    public async Task A_token_minted_for_a_trusted_publisher_carries_the_publisher_into_the_upload()
    {
        var authenticator = Create(out var tokens);
        var publisher = new PublisherIdentity("https://token.actions.githubusercontent.com", new Dictionary<string, string> { ["repository"] = "acme/demo" });
        var minted = await tokens.CreateAsync(Token("github-acme-demo", "upload demo", publisher), CancellationToken.None);
        var plain = await tokens.CreateAsync(Token("laptop", "upload demo"), CancellationToken.None);

        var decision = await authenticator.AuthorizeAsync(Basic("__token__", minted.Secret), IndexAction.Update, CancellationToken.None);
        var plainDecision = await authenticator.AuthorizeAsync(Basic("__token__", plain.Secret), IndexAction.Update, CancellationToken.None);

        Assert.Equal(publisher.Issuer, decision.User!.Publisher?.Issuer);
        Assert.Equal("acme/demo", decision.User.Publisher?.Claim("repository"));
        Assert.Null(plainDecision.User!.Publisher);
    }

    [Theory]
    [InlineData("update", IndexAction.List, false)]
    [InlineData("update", IndexAction.Download, false)]
    [InlineData("update", IndexAction.Update, true)]
    [InlineData("update,download,list", IndexAction.List, true)]
    [InlineData("download list", IndexAction.Download, true)]
    [InlineData(".", IndexAction.Update, false)]
    [InlineData("", IndexAction.Update, false)]
    public void Only_the_listed_actions_need_credentials(string authenticate, IndexAction action, bool required) =>
        Assert.Equal(required, Create(out _, authenticate).IsRequired(action));

    [Fact]
    public async Task An_action_that_needs_no_credentials_is_allowed_anonymously_even_with_wrong_ones()
    {
        var decision = await Create(out _, ".").AuthorizeAsync(Basic("alice", "wrong"), IndexAction.Update, CancellationToken.None);

        Assert.Equal(AccessResult.Allowed, decision.Result);
        Assert.Same(IndexUser.Anonymous, decision.User);
    }

    [Fact]
    public async Task Where_reading_needs_an_account_it_also_needs_the_read_right_on_the_project()
    {
        var authenticator = Create(out var tokens, "update,download,list", rights: "alice read open-*\n");
        var token = await tokens.CreateAsync(Token("ci", "upload closed"), CancellationToken.None);

        var open = await authenticator.AuthorizeAsync(Basic("alice", "secret"), IndexAction.Download, "open-lib", null, CancellationToken.None);
        var closed = await authenticator.AuthorizeAsync(Basic("alice", "secret"), IndexAction.List, "closed", null, CancellationToken.None);
        var listing = await authenticator.AuthorizeAsync(Basic("alice", "secret"), IndexAction.List, null, null, CancellationToken.None);
        var byToken = await authenticator.AuthorizeAsync(Basic("__token__", token.Secret), IndexAction.List, "closed", null, CancellationToken.None);

        Assert.Equal(AccessResult.Allowed, open.Result);
        Assert.Equal(AccessResult.Forbidden, closed.Result);
        Assert.Equal("User 'alice' may not read project 'closed'.", closed.Message);
        Assert.Equal(AccessResult.Allowed, listing.Result);
        Assert.Equal(AccessResult.Allowed, byToken.Result);
    }

    [Fact]
    public async Task A_token_made_by_an_account_does_no_more_than_the_account_may_now()
    {
        var authenticator = Create(out var tokens, rights: "alice upload demo\n");
        var made = await tokens.CreateAsync(Token("alice-ci", "maintain *") with { CreatedBy = "alice" }, CancellationToken.None);

        var user = (await authenticator.AuthorizeAsync(Basic("__token__", made.Secret), IndexAction.Update, CancellationToken.None)).User!;

        Assert.True(user.May(AccessRight.Upload, "demo"));
        Assert.False(user.May(AccessRight.Maintain, "demo"));
        Assert.False(user.May(AccessRight.Upload, "other"));
    }

    [Fact]
    public async Task A_token_stops_working_when_the_account_that_made_it_leaves_the_passwords_file()
    {
        var authenticator = Create(out var tokens);
        var made = await tokens.CreateAsync(Token("alice-ci", "upload demo") with { CreatedBy = "alice" }, CancellationToken.None);
        var before = await authenticator.AuthorizeAsync(Basic("__token__", made.Secret), IndexAction.Update, CancellationToken.None);

        await File.WriteAllTextAsync(Path.Combine(_folder, "htpasswd"), "bob:{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=\n");
        var after = await authenticator.AuthorizeAsync(Basic("__token__", made.Secret), IndexAction.Update, CancellationToken.None);

        Assert.Equal(AccessResult.Allowed, before.Result);
        Assert.Equal(AccessResult.Forbidden, after.Result);
        Assert.Contains(_log.Lines, l => l.Contains("made by account 'alice', which is gone", StringComparison.Ordinal));
    }

    [Fact]
    public void Managing_tokens_always_needs_an_account() =>
        Assert.True(Create(out _, ".").IsRequired(IndexAction.Manage));

    [Fact]
    public void An_unknown_action_fails_validation_at_start()
    {
        var result = new AuthOptionsValidator().Validate(null, new AuthOptions { Authenticate = "update,upload" });

        Assert.True(result.Failed);
        Assert.Contains("unknown action 'upload'", result.FailureMessage);
    }

    private sealed class RecordingLogger : ILogger<IndexAuthenticator>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
