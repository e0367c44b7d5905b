using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Audit;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Storage;
using PypiLocal.Core.Tests.Bucket;
using PypiLocal.Core.Tests.Support;

namespace PypiLocal.Core.Tests.Auth;

/// <summary>
/// Accounts in the store (<c>Auth:Accounts=store</c>): each "node" below is its own set of instances over one state
/// directory, as two servers, or a server and the command line, open it.
/// </summary>
public sealed class StoredAccountsTests : IDisposable
{
    private const string Password = "correct horse";

    // Auth:PasswordIterations at its floor: the default's 600,000 would cost seconds of CPU per password set here.
    private const int FastIterations = PasswordHash.MinimumIterations;
    private readonly string _folder = Directory.CreateTempSubdirectory("pypilocal-accounts-").FullName;
    private readonly TestAudit _audit = new();
    private readonly IOptions<AuthOptions> _options = Options.Create(new AuthOptions { Accounts = "store", CredentialCacheTtl = TimeSpan.FromHours(1), PasswordIterations = FastIterations });

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private BlobAccountStore Store(string? seed = null) =>
        new(new FolderBlobStore(_folder), "auth/", seed, TimeProvider.System, NullLogger<BlobAccountStore>.Instance, _audit.Trail);

    private AccountService Service(IOptions<AuthOptions>? options = null) =>
        new(Store(), options ?? _options, TimeProvider.System, NullLogger<AccountService>.Instance, _audit.Trail);

    private StoredPasswordAccounts Node() => new(Store(), _options);

    [Fact]
    public async Task An_account_added_anywhere_logs_in_on_another_node_and_its_record_holds_no_password()
    {
        var node = Node();
        await Service().AddAsync(IndexUser.Operator, "dave", Password, CancellationToken.None);

        Assert.True(await node.VerifyAsync("dave", Password, CancellationToken.None));
        Assert.False(await node.VerifyAsync("dave", "wrong password", CancellationToken.None));
        Assert.False(await node.VerifyAsync("Dave", Password, CancellationToken.None));
        var record = await File.ReadAllTextAsync(Path.Combine(_folder, "auth", "users", "dave.json"));
        Assert.DoesNotContain(Password, record);
        Assert.Contains("\"pbkdf2-sha256\"", record);
        Assert.Contains($"\"iterations\": {FastIterations}", record);
        Assert.Contains("\"salt\"", record);
    }

    [Fact]
    public async Task A_new_password_or_a_removal_counts_at_the_next_login_though_the_old_password_was_remembered()
    {
        var node = Node();
        await Service().AddAsync(IndexUser.Operator, "dave", Password, CancellationToken.None);
        Assert.True(await node.VerifyAsync("dave", Password, CancellationToken.None));

        await Service().SetPasswordAsync(IndexUser.Operator, "dave", "battery staple", CancellationToken.None);
        var old = await node.VerifyAsync("dave", Password, CancellationToken.None);
        var changed = await node.VerifyAsync("dave", "battery staple", CancellationToken.None);
        await Service().RemoveAsync(IndexUser.Operator, "dave", CancellationToken.None);
        var removed = await node.VerifyAsync("dave", "battery staple", CancellationToken.None);

        Assert.False(old);
        Assert.True(changed);
        Assert.False(removed);
        Assert.False(await node.ExistsAsync("dave", CancellationToken.None));
    }

    [Fact]
    public async Task A_change_written_on_a_version_another_node_replaced_is_refused_not_lost()
    {
        await Service().AddAsync(IndexUser.Operator, "dave", Password, CancellationToken.None);
        var seen = (await Store().FindAsync("dave", CancellationToken.None))!;
        await Service().SetPasswordAsync(IndexUser.Operator, "dave", "set elsewhere", CancellationToken.None);

        var written = await Store().ReplaceAsync(seen.Account with { Password = PasswordHash.Create("stale write", 1000) }, seen.ETag, CancellationToken.None);

        Assert.False(written);
        Assert.True(await Node().VerifyAsync("dave", "set elsewhere", CancellationToken.None));
    }

    [Fact]
    public async Task Names_are_unique_whatever_their_case_and_bad_names_or_short_passwords_are_refused()
    {
        await Service().AddAsync(IndexUser.Operator, "dave", Password, CancellationToken.None);

        var twin = await Assert.ThrowsAsync<AccountRefusedException>(() => Service().AddAsync(IndexUser.Operator, "Dave", Password, CancellationToken.None));
        var badName = await Assert.ThrowsAsync<AccountRefusedException>(() => Service().AddAsync(IndexUser.Operator, "../x", Password, CancellationToken.None));
        var token = await Assert.ThrowsAsync<AccountRefusedException>(() => Service().AddAsync(IndexUser.Operator, "__token__", Password, CancellationToken.None));
        var shortPassword = await Assert.ThrowsAsync<AccountRefusedException>(() => Service().AddAsync(IndexUser.Operator, "erin", "short", CancellationToken.None));
        var missing = await Assert.ThrowsAsync<AccountRefusedException>(() => Service().RemoveAsync(IndexUser.Operator, "nobody", CancellationToken.None));

        Assert.Equal(AccountProblem.Conflict, twin.Problem);
        Assert.Equal([AccountProblem.Invalid, AccountProblem.Invalid, AccountProblem.Invalid], new[] { badName.Problem, token.Problem, shortPassword.Problem });
        Assert.Equal(AccountProblem.NotFound, missing.Problem);
        Assert.Equal(["dave"], (await Service().ListAsync(IndexUser.Operator, CancellationToken.None)).Select(a => a.Name));
    }

    [Fact]
    public async Task Only_an_admin_of_every_project_manages_accounts_but_an_account_sets_its_own_password()
    {
        await Service().AddAsync(IndexUser.Operator, "dave", Password, CancellationToken.None);
        var dave = new IndexUser("dave", new GrantSet(AccessGrant.Parse("admin corp-*")));
        var tokenNamedDave = new IndexUser("dave", new GrantSet([]), IsToken: true);

        var add = await Assert.ThrowsAsync<AccountRefusedException>(() => Service().AddAsync(dave, "erin", Password, CancellationToken.None));
        var byToken = await Assert.ThrowsAsync<AccountRefusedException>(() => Service().SetPasswordAsync(tokenNamedDave, "dave", "a new password", CancellationToken.None));
        await Service().SetPasswordAsync(dave, "dave", "a new password", CancellationToken.None);

        Assert.Equal(AccountProblem.Forbidden, add.Problem);
        Assert.Equal("User 'dave' may not add accounts: that needs the admin right on every project.", add.Message);
        Assert.Equal(AccountProblem.Forbidden, byToken.Problem);
        Assert.True(await Node().VerifyAsync("dave", "a new password", CancellationToken.None));
    }

    [Fact]
    public async Task Over_the_index_accounts_are_managed_only_where_the_nodes_read_them()
    {
        var admin = new IndexUser("alice", GrantSet.All);

        var refused = await Assert.ThrowsAsync<AccountRefusedException>(() => Service(Options.Create(new AuthOptions())).AddAsync(admin, "dave", Password, CancellationToken.None));
        await Service(Options.Create(new AuthOptions())).AddAsync(IndexUser.Operator, "dave", Password, CancellationToken.None);

        Assert.Equal(AccountProblem.Conflict, refused.Problem);
        Assert.Contains("Auth:Accounts=store", refused.Message);
    }

    [Fact]
    public async Task Every_change_is_in_the_audit_trail_without_the_password()
    {
        var alice = new IndexUser("alice", GrantSet.All);
        await Service().AddAsync(alice, "dave", Password, CancellationToken.None);
        await Service().SetPasswordAsync(alice, "dave", "battery staple", CancellationToken.None);
        await Service().RemoveAsync(alice, "dave", CancellationToken.None);

        var events = await _audit.EventsAsync();

        Assert.Equal([AuditAction.UserAdd, AuditAction.UserPassword, AuditAction.UserRemove], events.Select(e => e.Action));
        Assert.All(events, e => Assert.Equal("alice", e.Actor.User));
        Assert.All(events, e => Assert.Equal("account 'dave'", e.Detail));
    }

    [Fact]
    public async Task An_htpasswd_import_keeps_its_hashes_skips_what_it_cannot_check_and_never_replaces_an_account()
    {
        await Service().AddAsync(IndexUser.Operator, "dave", Password, CancellationToken.None);
        var file = Path.Combine(_folder, "htpasswd");
        await File.WriteAllLinesAsync(file, ["alice:{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=", "dave:{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=", "plain:secret", "bad/name:{SHA}x"]);

        var done = await Service().ImportAsync(IndexUser.Operator, file, CancellationToken.None);

        Assert.Equal(["alice"], done.Added);
        Assert.Equal(["dave", "plain", "bad/name"], done.Skipped.Select(s => s.User));
        Assert.True(await Node().VerifyAsync("alice", "secret", CancellationToken.None));
        Assert.True(await Node().VerifyAsync("dave", Password, CancellationToken.None));
        Assert.Equal(PasswordHash.Htpasswd, (await Store().FindAsync("alice", CancellationToken.None))!.Account.Password.Algorithm);
    }

    [Fact]
    public async Task The_passwords_file_seeds_the_store_once_and_a_removed_account_does_not_come_back()
    {
        var file = Path.Combine(_folder, "htpasswd");
        await File.WriteAllLinesAsync(file, ["alice:{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=", "bob:{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ="]);

        var seeded = new StoredPasswordAccounts(Store(file), _options);
        Assert.True(await seeded.VerifyAsync("bob", "secret", CancellationToken.None));
        await Service().RemoveAsync(IndexUser.Operator, "bob", CancellationToken.None);
        var again = new StoredPasswordAccounts(Store(file), _options);

        Assert.False(await again.VerifyAsync("bob", "secret", CancellationToken.None));
        Assert.True(await again.VerifyAsync("alice", "secret", CancellationToken.None));
        Assert.Equal(2, (await _audit.EventsAsync()).Count(e => e.Action == AuditAction.UserAdd));
    }

    [Fact]
    public void An_unknown_place_for_accounts_stops_the_start_with_the_choices()
    {
        var result = new AuthOptionsValidator().Validate(null, new AuthOptions { Accounts = "ldap" });

        Assert.Contains("Auth:Accounts: 'ldap' is not a place for accounts (use 'file'", Assert.Single(result.Failures!));
        Assert.True(new AuthOptionsValidator().Validate(null, new AuthOptions { Accounts = "Store" }).Succeeded);
    }

    [Fact]
    public async Task A_new_password_is_hashed_with_the_configured_iterations_which_have_a_floor()
    {
        var added = await Service().AddAsync(IndexUser.Operator, "iris", Password, CancellationToken.None);

        Assert.Equal(FastIterations, added.Password.Iterations);
        Assert.Equal(PasswordHash.DefaultIterations, new AuthOptions().PasswordIterations);
        var tooFew = new AuthOptionsValidator().Validate(null, new AuthOptions { PasswordIterations = 999 });
        Assert.Contains("Auth:PasswordIterations must be at least 1000", Assert.Single(tooFew.Failures!));
    }

    [Fact]
    public async Task Requests_without_credentials_never_read_the_store_and_a_login_reads_one_record()
    {
        var bucket = new CountingBlobStore(new InMemoryBlobStore());
        var store = new BlobAccountStore(bucket, "auth/", null, TimeProvider.System, NullLogger<BlobAccountStore>.Instance);
        await store.CreateAsync(new StoredAccount("dave", PasswordHash.Create(Password, 1000), DateTimeOffset.UnixEpoch, "test"), CancellationToken.None);
        var options = Options.Create(new AuthOptions { Accounts = "store", Authenticate = "update,download", PasswordIterations = FastIterations });
        var authenticator = new IndexAuthenticator(
            options, new StoredPasswordAccounts(store, options), new BlobTokenStore(bucket, "auth/", null, TimeProvider.System, NullLogger<BlobTokenStore>.Instance),
            new UserRights(options, NullLogger<UserRights>.Instance), NullLogger<IndexAuthenticator>.Instance);
        bucket.Reset();

        var listing = await authenticator.AuthorizeAsync(null, IndexAction.List, CancellationToken.None);
        var challenged = await authenticator.AuthorizeAsync(null, IndexAction.Download, CancellationToken.None);
        var anonymous = bucket.Requests;
        var login = await authenticator.AuthorizeAsync("Basic " + Convert.ToBase64String("dave:correct horse"u8), IndexAction.Download, CancellationToken.None);

        Assert.Equal(AccessResult.Allowed, listing.Result);
        Assert.Equal(AccessResult.Challenge, challenged.Result);
        Assert.Contains("pypilocal user add", challenged.Message);
        Assert.Equal(0, anonymous);
        Assert.Equal(AccessResult.Allowed, login.Result);
        Assert.Equal(1, bucket.Requests);
    }
}
