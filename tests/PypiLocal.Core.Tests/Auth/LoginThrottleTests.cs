using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PypiLocal.Core.Audit;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Tests.Support;

namespace PypiLocal.Core.Tests.Auth;

/// <summary>Failed logins slow guessing down per user and per address; right passwords are remembered, never kept.</summary>
public sealed class LoginThrottleTests : IDisposable
{
    private static readonly IPAddress Guesser = IPAddress.Parse("203.0.113.7");
    private static readonly IPAddress Colleague = IPAddress.Parse("198.51.100.2");

    private readonly string _folder = Directory.CreateTempSubdirectory("pypilocal-throttle-").FullName;
    private readonly FakeTimeProvider _time = new();
    private readonly TestAudit _audit;

    public LoginThrottleTests() => _audit = new TestAudit(_time);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private IndexAuthenticator Create(string htpasswd)
    {
        var passwords = Path.Combine(_folder, "htpasswd");
        File.WriteAllText(passwords, htpasswd);
        var options = Options.Create(new AuthOptions { PasswordsFile = passwords, FailedLoginLimit = 3, FailedLoginWindow = TimeSpan.FromMinutes(1) });
        return new IndexAuthenticator(options, new HtpasswdFile(options, _time), BlobTokenStoreTests.InFolder(Path.Combine(_folder, "state"), _time), new UserRights(options, NullLogger<UserRights>.Instance), NullLogger<IndexAuthenticator>.Instance, _time, _audit.Trail);
    }

    private static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    [Fact]
    public async Task After_the_limit_a_guessed_user_waits_out_the_window_even_with_the_right_password_from_anywhere()
    {
        var authenticator = Create("alice:{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=\n");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(AccessResult.Forbidden, (await authenticator.AuthorizeAsync(Basic("alice", "guess" + i), IndexAction.Update, Guesser, default)).Result);
        }

        var throttled = await authenticator.AuthorizeAsync(Basic("alice", "secret"), IndexAction.Update, Colleague, default);
        Assert.Equal(AccessResult.Throttled, throttled.Result);
        Assert.Equal(TimeSpan.FromMinutes(1), throttled.RetryAfter);

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(AccessResult.Allowed, (await authenticator.AuthorizeAsync(Basic("alice", "secret"), IndexAction.Update, Colleague, default)).Result);

        // One event for the burst, when it started being refused: not one per failed attempt.
        var burst = Assert.Single(await _audit.EventsAsync());
        Assert.Equal((AuditAction.LoginThrottle, "alice", "203.0.113.7", "user:alice, address:203.0.113.7"), (burst.Action, burst.Actor.User, burst.Address, burst.Detail));
    }

    [Fact]
    public async Task An_address_that_guesses_many_names_is_throttled_and_token_guesses_do_not_lock_out_every_token()
    {
        var authenticator = Create("alice:{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=\n");
        foreach (var name in new[] { "root", "admin", "__token__" })
        {
            await authenticator.AuthorizeAsync(Basic(name, "guess"), IndexAction.Update, Guesser, default);
        }

        Assert.Equal(AccessResult.Throttled, (await authenticator.AuthorizeAsync(Basic("alice", "secret"), IndexAction.Update, Guesser, default)).Result);
        Assert.Equal(AccessResult.Forbidden, (await authenticator.AuthorizeAsync(Basic("__token__", "other"), IndexAction.Update, Colleague, default)).Result);
        Assert.Equal(AccessResult.Allowed, (await authenticator.AuthorizeAsync(Basic("alice", "secret"), IndexAction.Update, Colleague, default)).Result);
        Assert.Equal(["address:203.0.113.7"], (await _audit.EventsAsync()).Select(e => e.Detail));
    }

    [Fact]
    public async Task A_remembered_password_stops_working_when_the_passwords_file_drops_the_user()
    {
        var authenticator = Create("alice:{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=\n");
        Assert.Equal(AccessResult.Allowed, (await authenticator.AuthorizeAsync(Basic("alice", "secret"), IndexAction.Update, Colleague, default)).Result);

        var passwords = Path.Combine(_folder, "htpasswd");
        File.WriteAllText(passwords, "bob:{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=\n");
        File.SetLastWriteTimeUtc(passwords, DateTime.UtcNow.AddSeconds(5));

        Assert.Equal(AccessResult.Forbidden, (await authenticator.AuthorizeAsync(Basic("alice", "secret"), IndexAction.Update, Colleague, default)).Result);
    }

    [Fact]
    public void An_unknown_user_is_checked_against_a_real_hash_and_still_refused()
    {
        var options = Options.Create(new AuthOptions { PasswordsFile = Path.Combine(_folder, "htpasswd") });
        File.WriteAllText(options.Value.PasswordsFile!, "alice:" + BCrypt.Net.BCrypt.HashPassword("secret", 4) + "\n");
        var passwords = new HtpasswdFile(options, _time);

        Assert.False(passwords.Verify("mallory", "secret")); // alice's password under another name
        Assert.True(passwords.Verify("alice", "secret"));
        Assert.True(passwords.Verify("alice", "secret")); // remembered
        Assert.False(passwords.Verify("alice", "wrong"));
    }
}
