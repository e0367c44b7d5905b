using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Storage;

namespace PypiLocal.Core.Tests.Auth;

public sealed class BlobTokenStoreTests : IDisposable
{
    private static readonly IReadOnlyList<AccessGrant> UploadDemo = [new(AccessRight.Upload, "demo")];
    private readonly string _folder = Directory.CreateTempSubdirectory("pypilocal-tokens-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A store over the state directory, as a node or the command line opens it: each is its own instance.</summary>
    internal static BlobTokenStore InFolder(string folder, TimeProvider? time = null, string? legacyFile = null) =>
        new(new FolderBlobStore(folder), "", legacyFile, time ?? TimeProvider.System, NullLogger<BlobTokenStore>.Instance);

    [Fact]
    public async Task A_created_token_is_one_record_named_by_its_hash_and_holds_no_secret()
    {
        var made = await InFolder(_folder).CreateAsync(new TokenRequest("ci", UploadDemo), CancellationToken.None);

        var found = await InFolder(_folder).FindAsync(made.Secret, CancellationToken.None);

        Assert.NotNull(found);
        Assert.Equal("ci", found.Name);
        Assert.Equal(UploadDemo, found.Rights.Grants);
        var record = Assert.Single(Directory.GetFiles(Path.Combine(_folder, "tokens")));
        Assert.Equal(BlobTokenStore.HashSecret(made.Secret) + ".json", Path.GetFileName(record));
        Assert.DoesNotContain(made.Secret, await File.ReadAllTextAsync(record));
        Assert.Contains("\"upload\"", await File.ReadAllTextAsync(record));
    }

    [Fact]
    public async Task A_token_deleted_through_another_instance_is_gone_at_the_next_lookup()
    {
        var node = InFolder(_folder);
        var made = await InFolder(_folder).CreateAsync(new TokenRequest("ci", UploadDemo), CancellationToken.None);
        Assert.NotNull(await node.FindAsync(made.Secret, CancellationToken.None));

        Assert.True(await InFolder(_folder).DeleteAsync(made.Token, CancellationToken.None));

        Assert.Null(await node.FindAsync(made.Secret, CancellationToken.None));
        Assert.Null(await node.FindAsync(made.Secret + "x", CancellationToken.None));
        Assert.False(await node.DeleteAsync(made.Token, CancellationToken.None));
    }

    [Fact]
    public async Task A_minted_token_works_until_it_expires_and_its_record_goes_then()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var store = new BlobTokenStore(new InMemoryBlobStore(), "auth/", null, time, NullLogger<BlobTokenStore>.Instance);
        var minted = await store.CreateAsync(new TokenRequest("oidc", UploadDemo, Expires: time.GetUtcNow().AddMinutes(15)), CancellationToken.None);
        await store.CreateAsync(new TokenRequest("laptop", UploadDemo), CancellationToken.None);

        time.Advance(TimeSpan.FromMinutes(14));
        var before = await store.FindAsync(minted.Secret, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(1));
        var after = await store.FindAsync(minted.Secret, CancellationToken.None);

        Assert.NotNull(before);
        Assert.Null(after);
        Assert.Equal(["laptop"], (await store.ListAsync(CancellationToken.None)).Select(t => t.Name));
    }

    [Fact]
    public async Task An_earlier_release_s_token_file_is_imported_once_and_a_revoked_token_stays_revoked()
    {
        var legacy = Path.Combine(_folder, "tokens.json");
        var secret = "pypilocal-legacy-secret";
        var old = new ApiToken("0a1b2c3d", "ci", BlobTokenStore.HashSecret(secret), ["demo"], DateTimeOffset.UnixEpoch);
        await File.WriteAllTextAsync(legacy, JsonSerializer.Serialize(new { tokens = new[] { old } }, JsonSerializerOptions.Web));
        var state = Path.Combine(_folder, "state");

        var imported = await InFolder(state, legacyFile: legacy).FindAsync(secret, CancellationToken.None);
        Assert.NotNull(imported);
        Assert.True(imported.Rights.Allows(AccessRight.Maintain, "demo"), "a token from before rights keeps what update allowed");
        Assert.False(imported.Rights.Allows(AccessRight.Upload, "other"));

        await InFolder(state).DeleteAsync(imported, CancellationToken.None);

        Assert.Null(await InFolder(state, legacyFile: legacy).FindAsync(secret, CancellationToken.None));
    }
}
