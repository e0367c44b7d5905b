using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PypiLocal.EndToEndTests.Publishing;
using PypiLocal.EndToEndTests.Support;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Auth;

/// <summary>
/// Password accounts in the bucket (<c>Auth:Accounts=store</c>): two nodes on one real S3 server (moto) and one real
/// redis-server, a private index (<c>-a update,download,list</c>) with a rights file. The first admin, alice, is added
/// with the command line before anyone logs in; every other account through the nodes.
/// </summary>
public sealed class StoredAccountsFixture : IAsyncLifetime
{
    public const string AlicePassword = "alice-password";
    private const string Bucket = "stored-accounts";
    private readonly TempFolder _root = new("pypilocal-stored-accounts");
    private MotoServer _moto = null!;
    private RedisServer _redis = null!;
    private PypiLocalServer _a = null!;
    private PypiLocalServer _b = null!;

    public PypiLocalServer A => _a;

    public PypiLocalServer B => _b;

    public string Home => _root.Combine("home");

    public string Root => _root.Path;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Home);
        var rights = _root.Combine("rights");
        await File.WriteAllTextAsync(rights, "alice admin\n* upload stored-*\n* read\nerin admin erin-*\n");
        _moto = await MotoServer.StartAsync();
        _redis = await RedisServer.StartAsync();
        var environment = new Dictionary<string, string?>(Environment())
        {
            ["ConnectionStrings__cache"] = _redis.ConnectionString,
            ["Storage__S3__DownloadMode"] = "Proxy",
            ["Auth__RightsFile"] = rights,
        };
        var nodes = await PypiLocalServer.StartAllAsync(Enumerable.Range(0, 2).Select(_ => PypiLocalServer.StartAsync(["serve", "-a", "update,download,list"], environment)));
        (_a, _b) = (nodes[0], nodes[1]);
        (await CliAsync(AlicePassword + "\n", "user", "add", "alice")).EnsureSuccess("pypilocal user add alice");
    }

    public async Task DisposeAsync()
    {
        foreach (var server in new IAsyncDisposable?[] { _a, _b, _redis, _moto })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }

        _root.Dispose();
    }

    /// <summary>Runs the <c>pypilocal</c> command line on the bucket, with <paramref name="input"/> as its standard input.</summary>
    public Task<ProcessResult> CliAsync(string? input, params string[] arguments) =>
        PypiLocalCommand.RunAsync(arguments, Environment(), TimeSpan.FromMinutes(1), standardInput: input);

    private Dictionary<string, string?> Environment() => new()
    {
        ["ConnectionStrings__storage"] = _moto.ConnectionString,
        ["Storage__S3__Bucket"] = Bucket,
        ["Auth__Accounts"] = "store",
        ["DOTNET_NOLOGO"] = "1",
    };
}

/// <summary>The cases below share one pair of nodes; each uses accounts and projects of its own.</summary>
public sealed class StoredAccountsTests(StoredAccountsFixture fixture) : IClassFixture<StoredAccountsFixture>
{
    private const string InvalidCredentials = "Invalid or non-existent authentication information";

    private string Wheel(string project, string version) => DistributionBuilder.Wheel(Directory.CreateDirectory(Path.Combine(fixture.Root, "dist", project, version)).FullName, project, version);

    private Task<ProcessResult> TwineAsync(PypiLocalServer node, string user, string password, string file) =>
        Twine.UploadAsAsync(node.BaseUrl + "/legacy/", fixture.Home, user, password, file);

    private static HttpClient Client(PypiLocalServer node, string user, string password)
    {
        var client = new HttpClient { BaseAddress = new Uri(node.BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return client;
    }

    private static async Task<HttpStatusCode> StatusAsync(PypiLocalServer node, string user, string password, string path)
    {
        using var client = Client(node, user, password);
        using var response = await client.GetAsync(path);
        return response.StatusCode;
    }

    [Fact]
    public async Task An_account_added_through_one_node_uploads_through_the_other_and_its_new_password_counts_on_the_first_at_once()
    {
        using var aliceOnA = Client(fixture.A, "alice", StoredAccountsFixture.AlicePassword);
        using var added = await aliceOnA.PostAsJsonAsync("/api/users", new { name = "dave", password = "dave-first" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);

        (await TwineAsync(fixture.B, "dave", "dave-first", Wheel("stored-dave", "1.0"))).EnsureSuccess("twine upload through node B as dave, added on A");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(fixture.A, "dave", "dave-first", "/simple/stored-dave/")); // remembered on A from now
        using var daveOnB = Client(fixture.B, "dave", "dave-first");
        using var changed = await daveOnB.PutAsJsonAsync("/api/users/dave", new { password = "dave-second" });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);

        var old = await StatusAsync(fixture.A, "dave", "dave-first", "/simple/stored-dave/");
        var current = await StatusAsync(fixture.A, "dave", "dave-second", "/simple/stored-dave/");
        var refused = await TwineAsync(fixture.A, "dave", "dave-first", Wheel("stored-dave", "2.0"));
        var uploaded = await TwineAsync(fixture.A, "dave", "dave-second", Wheel("stored-dave", "3.0"));

        Assert.Equal(HttpStatusCode.Forbidden, old);
        Assert.Equal(HttpStatusCode.OK, current);
        Assert.Contains(InvalidCredentials, PublishingServer.Flat(refused));
        uploaded.EnsureSuccess("twine upload through node A with the new password");
        Assert.DoesNotContain("dave-first", fixture.A.Log + fixture.B.Log);
        Assert.DoesNotContain("dave-second", fixture.A.Log + fixture.B.Log);
    }

    [Fact]
    public async Task A_removed_account_gets_403_in_twine_and_the_tokens_it_made_stop_working()
    {
        using var aliceOnA = Client(fixture.A, "alice", StoredAccountsFixture.AlicePassword);
        (await aliceOnA.PostAsJsonAsync("/api/users", new { name = "erin", password = "erin-password" })).EnsureSuccessStatusCode();
        using var erinOnB = Client(fixture.B, "erin", "erin-password");
        using var made = await erinOnB.PostAsJsonAsync("/api/tokens", new { name = "erin-ci", right = "upload", projects = new[] { "erin-lib" } });
        var token = (await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        (await TwineAsync(fixture.A, "__token__", token, Wheel("erin-lib", "1.0"))).EnsureSuccess("twine upload with erin's token");
        (await TwineAsync(fixture.A, "erin", "erin-password", Wheel("erin-lib", "2.0"))).EnsureSuccess("twine upload as erin");

        using var removed = await Client(fixture.B, "alice", StoredAccountsFixture.AlicePassword).DeleteAsync("/api/users/erin");
        var byPassword = await TwineAsync(fixture.A, "erin", "erin-password", Wheel("erin-lib", "3.0"));
        var byToken = await TwineAsync(fixture.A, "__token__", token, Wheel("erin-lib", "4.0"));

        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Contains("403", PublishingServer.Flat(byPassword));
        Assert.Contains(InvalidCredentials, PublishingServer.Flat(byPassword));
        Assert.Contains("403", PublishingServer.Flat(byToken));
    }

    [Fact]
    public async Task Accounts_changed_with_the_command_line_count_on_every_node_and_only_an_admin_manages_them_over_http()
    {
        (await fixture.CliAsync("frank-password\n", "user", "add", "frank")).EnsureSuccess("pypilocal user add frank");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(fixture.B, "frank", "frank-password", "/simple/"));
        using var frankOnA = Client(fixture.A, "frank", "frank-password");
        using var notAdmin = await frankOnA.PostAsJsonAsync("/api/users", new { name = "mallory", password = "mallory-password" });
        using var listed = await Client(fixture.A, "alice", StoredAccountsFixture.AlicePassword).GetAsync("/api/users");

        (await fixture.CliAsync("frank-changed\n", "user", "passwd", "frank")).EnsureSuccess("pypilocal user passwd frank");
        var old = await StatusAsync(fixture.B, "frank", "frank-password", "/simple/");
        var current = await StatusAsync(fixture.A, "frank", "frank-changed", "/simple/");
        var list = await fixture.CliAsync(null, "user", "list");

        Assert.Equal(HttpStatusCode.Forbidden, notAdmin.StatusCode);
        Assert.Equal("User 'frank' may not add accounts: that needs the admin right on every project.", notAdmin.ReasonPhrase);
        Assert.Contains("\"name\":\"frank\"", await listed.Content.ReadAsStringAsync());
        Assert.DoesNotContain("frank-password", await listed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, old);
        Assert.Equal(HttpStatusCode.OK, current);
        Assert.Contains("frank  pbkdf2-sha256", list.EnsureSuccess("pypilocal user list").StandardOutput);
    }
}
