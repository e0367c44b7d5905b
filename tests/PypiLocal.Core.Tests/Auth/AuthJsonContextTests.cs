using System.Text.Json;
using System.Text.Json.Serialization;
using PypiLocal.Core.Auth;

namespace PypiLocal.Core.Tests.Auth;

/// <summary>Token and account records written by generated code are the bytes earlier releases wrote with reflection, and read the same.</summary>
public sealed class AuthJsonContextTests
{
    // The options token and account records were written with before they had a generated context.
    private static readonly JsonSerializerOptions EarlierReleases = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter<AccessRight>(JsonNamingPolicy.CamelCase) },
    };

    private static readonly DateTimeOffset Created = new(2026, 11, 30, 12, 0, 0, TimeSpan.FromHours(1));

    public static TheoryData<ApiToken> Tokens() => new()
    {
        new ApiToken("abc123", "ci", new string('a', 64), null, Created),
        new ApiToken("abc123", "legacy", new string('b', 64), ["widgets", "gadgets"], Created),
        new ApiToken(
            "def456", "oidc <minted> & 'quoted' é", new string('c', 64), null, Created,
            new PublisherIdentity("https://token.actions.githubusercontent.com", new Dictionary<string, string> { ["repository"] = "corp/widgets", ["Environment"] = "release" }),
            Created.AddMinutes(15), [new AccessGrant(AccessRight.Upload, "widgets"), new AccessGrant(AccessRight.Admin, "*")], "alice"),
    };

    public static TheoryData<StoredAccount> Accounts() => new()
    {
        new StoredAccount("bob", new PasswordHash(PasswordHash.Htpasswd, "$apr1$x$y"), Created, "import"),
        new StoredAccount("alice", new PasswordHash(PasswordHash.Pbkdf2Sha256, "aGFzaA==", "c2FsdA==", 600_000), Created, "bob", Created.AddDays(1), "alice"),
    };

    [Theory]
    [MemberData(nameof(Tokens))]
    public void A_token_record_is_written_as_before_and_read_back(ApiToken token)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(token, AuthJsonContext.Default.ApiToken);

        Assert.Equal(JsonSerializer.Serialize(token, EarlierReleases), System.Text.Encoding.UTF8.GetString(bytes));
        var read = JsonSerializer.Deserialize(bytes, AuthJsonContext.Default.ApiToken)!;
        Assert.Equal(JsonSerializer.Serialize(token, EarlierReleases), JsonSerializer.Serialize(read, EarlierReleases));
    }

    [Theory]
    [MemberData(nameof(Accounts))]
    public void An_account_record_is_written_as_before_and_read_back(StoredAccount account)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(account, AuthJsonContext.Default.StoredAccount);

        Assert.Equal(JsonSerializer.Serialize(account, EarlierReleases), System.Text.Encoding.UTF8.GetString(bytes));
        Assert.Equal(account, JsonSerializer.Deserialize(bytes, AuthJsonContext.Default.StoredAccount));
    }

    [Fact]
    public void Records_written_by_hand_are_read_as_before_rights_as_numbers_and_names_in_any_case()
    {
        const string Written = """{"Id":"x","NAME":"ci","sha256":"ab","created":"2026-11-30T12:00:00+00:00","grants":[{"right":2,"projects":"w"},{"right":"Admin","projects":"*"}]}""";

        var token = JsonSerializer.Deserialize(Written, AuthJsonContext.Default.ApiToken)!;

        Assert.Equal(JsonSerializer.Serialize(JsonSerializer.Deserialize<ApiToken>(Written, EarlierReleases), EarlierReleases), JsonSerializer.Serialize(token, EarlierReleases));
        Assert.Equal([new AccessGrant(AccessRight.Upload, "w"), new AccessGrant(AccessRight.Admin, "*")], token.Grants);
    }
}
