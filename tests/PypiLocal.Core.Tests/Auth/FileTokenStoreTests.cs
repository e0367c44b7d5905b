using Microsoft.Extensions.Options;
using PypiLocal.Core.Auth;

namespace PypiLocal.Core.Tests.Auth;

public sealed class FileTokenStoreTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pypilocal-tokens-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string TokensPath => Path.Combine(_folder, "tokens.json");

    private FileTokenStore NewStore() => new(Options.Create(new AuthOptions { TokensFile = TokensPath }), TimeProvider.System);

    [Fact]
    public async Task A_created_token_is_found_by_its_secret_and_only_its_hash_is_stored()
    {
        var store = NewStore();

        var made = await store.CreateAsync("ci", ["Foo_Bar", "baz"], CancellationToken.None);
        var found = await NewStore().FindAsync(made.Secret, CancellationToken.None);

        Assert.NotNull(found);
        Assert.Equal("ci", found.Name);
        Assert.Equal(["foo-bar", "baz"], found.Projects);
        var text = await File.ReadAllTextAsync(TokensPath);
        Assert.DoesNotContain(made.Secret, text);
        Assert.Contains(FileTokenStore.HashSecret(made.Secret), text);
    }

    [Fact]
    public async Task A_minted_token_works_until_it_expires_and_is_dropped_at_the_next_write()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var store = new FileTokenStore(Options.Create(new AuthOptions { TokensFile = TokensPath }), time);
        var minted = await store.CreateAsync("oidc", ["demo"], null, time.GetUtcNow().AddMinutes(15), CancellationToken.None);

        time.Advance(TimeSpan.FromMinutes(14));
        var before = await store.FindAsync(minted.Secret, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(1));
        var after = await store.FindAsync(minted.Secret, CancellationToken.None);
        await store.CreateAsync("laptop", null, CancellationToken.None);

        Assert.NotNull(before);
        Assert.Null(after);
        Assert.Equal(["laptop"], (await store.ListAsync(CancellationToken.None)).Select(t => t.Name));
    }

    [Fact]
    public async Task A_wrong_or_revoked_secret_finds_nothing()
    {
        var store = NewStore();
        var made = await store.CreateAsync("ci", null, CancellationToken.None);

        Assert.Null(await store.FindAsync(made.Secret + "x", CancellationToken.None));
        Assert.Equal(1, await store.RevokeAsync(made.Token.Id, CancellationToken.None));
        Assert.Null(await store.FindAsync(made.Secret, CancellationToken.None));
        Assert.Equal(0, await store.RevokeAsync(made.Token.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Revoking_by_name_removes_every_token_of_that_name_and_list_shows_the_rest()
    {
        var store = NewStore();
        await store.CreateAsync("ci", null, CancellationToken.None);
        await store.CreateAsync("ci", null, CancellationToken.None);
        var kept = await store.CreateAsync("laptop", null, CancellationToken.None);

        Assert.Equal(2, await store.RevokeAsync("ci", CancellationToken.None));
        var left = Assert.Single(await store.ListAsync(CancellationToken.None));
        Assert.Equal(kept.Token.Id, left.Id);
    }

    [Fact]
    public async Task A_store_in_another_process_sees_new_tokens_at_once()
    {
        var server = NewStore();
        Assert.Null(await server.FindAsync("pypilocal-nothing", CancellationToken.None));

        var made = await NewStore().CreateAsync("ci", null, CancellationToken.None);

        Assert.NotNull(await server.FindAsync(made.Secret, CancellationToken.None));
    }

    [Fact]
    public async Task An_invalid_project_name_is_refused() =>
        await Assert.ThrowsAsync<ArgumentException>(() => NewStore().CreateAsync("ci", ["-bad-"], CancellationToken.None));
}
