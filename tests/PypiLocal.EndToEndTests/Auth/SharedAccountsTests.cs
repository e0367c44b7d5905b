using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PypiLocal.EndToEndTests.Publishing;
using PypiLocal.EndToEndTests.Support;
using PypiLocal.Testing;
using PypiLocal.Testing.Oidc;

namespace PypiLocal.EndToEndTests.Auth;

/// <summary>
/// Accounts and tokens in the distributed mode: two nodes on one real S3 server (moto) and one real redis-server, a
/// private index (<c>-a update,download,list</c>) with a rights file: alice administers, bob uploads to widgets-*,
/// carol reads open-*. A token made or revoked through one node counts on the other at the next request.
/// </summary>
public sealed class SharedAccountsFixture : IAsyncLifetime
{
    public const string Password = "secret";
    private const string Bucket = "accounts";
    private readonly TempFolder _root = new("pypilocal-accounts");
    private MotoServer _moto = null!;
    private RedisServer _redis = null!;
    private TestOidcIssuer _oidc = null!;
    private PypiLocalServer _a = null!;
    private PypiLocalServer _b = null!;

    public PypiLocalServer A => _a;

    public PypiLocalServer B => _b;

    public TestOidcIssuer Oidc => _oidc;

    public string Home => _root.Combine("home");

    public string Root => _root.Path;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Home);
        var passwords = _root.Combine("htpasswd");
        var hash = Convert.ToBase64String(SHA1.HashData(Encoding.UTF8.GetBytes(Password)));
        await File.WriteAllLinesAsync(passwords, new[] { "alice", "bob", "carol" }.Select(u => $"{u}:{{SHA}}{hash}"));
        var rights = _root.Combine("rights");
        await File.WriteAllTextAsync(rights, "alice admin\nbob upload widgets-*\ncarol read open-*\n");
        _moto = await MotoServer.StartAsync();
        _redis = await RedisServer.StartAsync();
        _oidc = await TestOidcIssuer.ServeAsync();
        var environment = new Dictionary<string, string?>(StorageEnvironment())
        {
            ["ConnectionStrings__cache"] = _redis.ConnectionString,
            ["Storage__S3__DownloadMode"] = "Proxy",
            ["Auth__RightsFile"] = rights,
            ["TrustedPublishing__Issuers__0__Url"] = _oidc.Url,
            ["TrustedPublishing__Publishers__0__Issuer"] = _oidc.Url,
            ["TrustedPublishing__Publishers__0__Claims__repository"] = "acme/widgets",
            ["TrustedPublishing__Publishers__0__Projects__0"] = "oidc-shared",
        };
        var nodes = await PypiLocalServer.StartAllAsync(Enumerable.Range(0, 2).Select(_ => PypiLocalServer.StartAsync(["serve", "-P", passwords, "-a", "update,download,list"], environment)));
        (_a, _b) = (nodes[0], nodes[1]);
    }

    public async Task DisposeAsync()
    {
        foreach (var node in new[] { _a, _b }.Where(n => n is not null))
        {
            await node.DisposeAsync();
        }

        foreach (var server in new IAsyncDisposable?[] { _oidc, _redis, _moto })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }

        _root.Dispose();
    }

    public Dictionary<string, string?> StorageEnvironment() => new()
    {
        ["ConnectionStrings__storage"] = _moto.ConnectionString,
        ["Storage__S3__Bucket"] = Bucket,
    };
}

/// <summary>The cases below share one pair of nodes; each uses projects and tokens of its own.</summary>
public sealed class SharedAccountsTests(SharedAccountsFixture fixture) : IClassFixture<SharedAccountsFixture>
{
    private const string Password = SharedAccountsFixture.Password;

    private string Wheel(string project, string version) => DistributionBuilder.Wheel(Directory.CreateDirectory(Path.Combine(fixture.Root, "dist", project, version)).FullName, project, version);

    private Task<ProcessResult> TwineAsync(PypiLocalServer node, string user, string password, string file) =>
        Twine.UploadAsAsync(node.BaseUrl + "/legacy/", fixture.Home, user, password, file);

    private static HttpClient Client(PypiLocalServer node, string user, string password = Password)
    {
        var client = new HttpClient { BaseAddress = new Uri(node.BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return client;
    }

    [Fact]
    public async Task A_token_made_through_one_node_uploads_through_the_other_and_revoked_there_fails_on_the_first_at_once()
    {
        using var aliceOnA = Client(fixture.A, "alice");
        using var aliceOnB = Client(fixture.B, "alice");
        using var made = await aliceOnA.PostAsJsonAsync("/api/tokens", new { name = "ci-http", right = "upload", projects = new[] { "shared-http" } });
        var token = (await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);

        (await TwineAsync(fixture.B, "__token__", token, Wheel("shared-http", "1.0"))).EnsureSuccess("twine upload through node B with the token made on A");
        using var revoked = await aliceOnB.DeleteAsync("/api/tokens/ci-http");
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        using var tokenOnA = Client(fixture.A, "__token__", token);
        using var read = await tokenOnA.GetAsync("/simple/shared-http/");
        var refused = await TwineAsync(fixture.A, "__token__", token, Wheel("shared-http", "2.0"));

        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("403", PublishingServer.Flat(refused));
        Assert.DoesNotContain(token, fixture.A.Log + fixture.B.Log);
    }

    [Fact]
    public async Task A_token_made_with_the_command_line_works_on_every_node_until_the_command_line_revokes_it()
    {
        var environment = new Dictionary<string, string?>(fixture.StorageEnvironment()) { ["DOTNET_NOLOGO"] = "1" };
        var token = (await PypiLocalCommand.RunAsync(["token", "create", "ci-cli", "--project", "shared-cli"], environment, TimeSpan.FromMinutes(1)))
            .EnsureSuccess("pypilocal token create").StandardOutput.Trim();

        (await TwineAsync(fixture.A, "__token__", token, Wheel("shared-cli", "1.0"))).EnsureSuccess("twine upload through node A");
        (await TwineAsync(fixture.B, "__token__", token, Wheel("shared-cli", "2.0"))).EnsureSuccess("twine upload through node B");
        (await PypiLocalCommand.RunAsync(["token", "revoke", "ci-cli"], environment, TimeSpan.FromMinutes(1))).EnsureSuccess("pypilocal token revoke");
        var refused = await TwineAsync(fixture.B, "__token__", token, Wheel("shared-cli", "3.0"));

        Assert.Contains("403", PublishingServer.Flat(refused));
    }

    [Fact]
    public async Task Per_project_rights_refuse_twine_with_the_reason_and_allow_the_permitted_project()
    {
        var allowed = await TwineAsync(fixture.A, "bob", Password, Wheel("widgets-core", "1.0"));
        var refused = await TwineAsync(fixture.B, "bob", Password, Wheel("gadgets", "1.0"));
        var byReader = await TwineAsync(fixture.A, "carol", Password, Wheel("open-tool", "1.0"));

        allowed.EnsureSuccess("twine upload by bob to widgets-core");
        Assert.Contains("User 'bob' may not upload to project 'gadgets'", PublishingServer.Flat(refused));
        Assert.Contains("User 'carol' may not upload to project 'open-tool'", PublishingServer.Flat(byReader));
    }

    [Fact]
    public async Task Read_rights_decide_what_pip_installs_when_reading_needs_an_account()
    {
        (await TwineAsync(fixture.A, "alice", Password, Wheel("open-lib", "1.0"))).EnsureSuccess("twine upload of open-lib");
        (await TwineAsync(fixture.A, "alice", Password, Wheel("closed-lib", "1.0"))).EnsureSuccess("twine upload of closed-lib");
        using var python = await PythonEnvironment.CreateAsync();
        var index = $"http://carol:{Password}@127.0.0.1:{fixture.B.Port}/simple/";

        var closed = await python.InstallAsync(index, "closed-lib");
        (await python.InstallAsync(index, "open-lib")).EnsureSuccess("pip install open-lib as carol");
        using var carol = Client(fixture.B, "carol");
        using var page = await carol.GetAsync("/simple/closed-lib/");

        Assert.NotEqual(0, closed.ExitCode);
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Equal("User 'carol' may not read project 'closed-lib'.", page.ReasonPhrase);
        Assert.Equal("1.0", await python.RunAsync("import open_lib; print(open_lib.VERSION)"));
    }

    [Theory]
    [InlineData("/simple/")]
    [InlineData("/projects/")]
    public async Task Lists_show_a_reader_only_its_projects_and_an_upload_through_one_node_joins_its_list_on_the_other_at_once(string list)
    {
        var suffix = list.Trim('/');
        (await TwineAsync(fixture.A, "alice", Password, Wheel($"hidden-{suffix}", "1.0"))).EnsureSuccess("twine upload of a project carol may not read");
        using var carol = Client(fixture.B, "carol");
        using var alice = Client(fixture.B, "alice");
        var before = await carol.GetStringAsync(list);

        (await TwineAsync(fixture.A, "alice", Password, Wheel($"open-{suffix}", "1.0"))).EnsureSuccess("twine upload of a project carol may read");
        var after = await carol.GetStringAsync(list);
        var all = await alice.GetStringAsync(list);

        Assert.DoesNotContain($"open-{suffix}", before);
        Assert.Contains($"open-{suffix}", after);
        Assert.DoesNotContain($"hidden-{suffix}", after);
        Assert.Contains($"hidden-{suffix}", all);
        Assert.Contains($"open-{suffix}", all);
    }

    [Fact]
    public async Task A_token_minted_through_one_node_publishes_through_the_other()
    {
        using var http = new HttpClient { BaseAddress = new Uri(fixture.A.BaseUrl) };
        using var response = await http.PostAsJsonAsync("/_/oidc/mint-token", new { token = fixture.Oidc.Issue(TestOidcIssuer.GitHubClaims("acme/widgets"), "pypilocal") });
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;

        var published = await TwineAsync(fixture.B, "__token__", token, Wheel("oidc-shared", "1.0"));
        var foreign = await TwineAsync(fixture.B, "__token__", token, Wheel("widgets-core", "9.0"));

        published.EnsureSuccess("twine upload through node B with the token minted on A");
        Assert.Contains("may not upload to project 'widgets-core'", PublishingServer.Flat(foreign));
    }
}
