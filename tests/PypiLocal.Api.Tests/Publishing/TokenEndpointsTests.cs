using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PypiLocal.Api.Tests.Support;
using PypiLocal.Testing;

namespace PypiLocal.Api.Tests.Publishing;

/// <summary>
/// <c>/api/tokens</c> and rights over HTTP: alice administers everything, bob may upload to widgets, carol may only
/// read; reading needs an account here.
/// </summary>
public sealed class TokenEndpointsTests : IDisposable
{
    private readonly TempFolder _files = new("pypilocal-api-rights");
    private readonly PublishingApplication _app;

    public TokenEndpointsTests()
    {
        var passwords = _files.Combine("htpasswd");
        File.WriteAllLines(passwords, new[] { "alice", "bob", "carol" }.Select(u => $"{u}:{{SHA}}{Convert.ToBase64String(SHA1.HashData(Encoding.UTF8.GetBytes(PublishingApplication.Password)))}"));
        File.WriteAllText(_files.Combine("rights"), "alice admin\nbob upload widgets\n* read\n");
        _app = new PublishingApplication(new Dictionary<string, string>
        {
            ["Auth:PasswordsFile"] = passwords,
            ["Auth:RightsFile"] = _files.Combine("rights"),
            ["Auth:Authenticate"] = "update,download,list",
        });
    }

    public void Dispose()
    {
        _app.Dispose();
        _files.Dispose();
    }

    private async Task<HttpResponseMessage> UploadAsync(HttpClient client, string project) =>
        await client.PostAsync("/legacy/", PublishingApplication.TwineForm(DistributionBuilder.Wheel(_files.Path, project, "1.0"), project, "1.0"));

    [Fact]
    public async Task An_admin_makes_a_scoped_token_that_uploads_only_there_and_revoking_it_ends_it_at_once()
    {
        using var alice = _app.CreateClient("alice");

        using var made = await alice.PostAsJsonAsync("/api/tokens", new { name = "ci", right = "upload", projects = new[] { "Widgets" } });
        var body = await made.Content.ReadFromJsonAsync<JsonElement>();
        var secret = body.GetProperty("token").GetString()!;
        using var ci = _app.CreateClient("__token__", secret);
        using var allowed = await UploadAsync(ci, "widgets");
        using var refused = await UploadAsync(ci, "gadgets");
        var listed = await alice.GetStringAsync("/api/tokens");
        using var revoked = await alice.DeleteAsync("/api/tokens/ci");
        using var after = await UploadAsync(ci, "widgets");

        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        Assert.Equal("upload widgets", body.GetProperty("grants")[0].GetString());
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("Token 'ci' may not upload to project 'gadgets'.", refused.ReasonPhrase);
        Assert.Contains("\"name\":\"ci\"", listed);
        Assert.DoesNotContain(secret, listed);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, after.StatusCode);
    }

    [Fact]
    public async Task A_token_for_one_project_lists_only_that_project_while_its_maker_lists_all()
    {
        using var alice = _app.CreateClient("alice");
        (await UploadAsync(alice, "widgets")).EnsureSuccessStatusCode();
        (await UploadAsync(alice, "gadgets")).EnsureSuccessStatusCode();
        using var made = await alice.PostAsJsonAsync("/api/tokens", new { name = "reader", right = "read", projects = new[] { "widgets" } });
        using var token = _app.CreateClient("__token__", (await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!);

        var byToken = await token.GetStringAsync("/simple/");
        var byAlice = await alice.GetStringAsync("/simple/");

        Assert.Contains("widgets", byToken);
        Assert.DoesNotContain("gadgets", byToken);
        Assert.Contains("gadgets", byAlice);
    }

    [Fact]
    public async Task An_account_without_admin_may_not_make_tokens_and_nobody_may_anonymously()
    {
        using var bob = _app.CreateClient("bob");
        using var anonymous = _app.CreateClient(user: null);

        using var byBob = await bob.PostAsJsonAsync("/api/tokens", new { name = "mine", projects = new[] { "widgets" } });
        using var byNobody = await anonymous.GetAsync("/api/tokens");

        Assert.Equal(HttpStatusCode.Forbidden, byBob.StatusCode);
        Assert.Equal("User 'bob' may not make tokens for project 'widgets'.", byBob.ReasonPhrase);
        Assert.Equal(HttpStatusCode.Unauthorized, byNobody.StatusCode);
    }

    [Fact]
    public async Task Upload_and_maintain_rights_are_per_project_and_say_who_may_not_do_what()
    {
        using var bob = _app.CreateClient("bob");
        using var carol = _app.CreateClient("carol");

        using var upload = await UploadAsync(bob, "widgets");
        using var elsewhere = await UploadAsync(bob, "gadgets");
        using var byReader = await UploadAsync(carol, "widgets");
        using var yank = await bob.PostAsync("/api/projects/widgets/releases/1.0/yank", null);
        using var read = await carol.GetAsync("/simple/widgets/");

        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.Equal("User 'bob' may not upload to project 'gadgets'.", elsewhere.ReasonPhrase);
        Assert.Equal("User 'carol' may not upload to project 'widgets'.", byReader.ReasonPhrase);
        Assert.Equal(HttpStatusCode.Forbidden, yank.StatusCode);
        Assert.Contains("may not yank, delete or overwrite files of project 'widgets'", yank.ReasonPhrase);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task A_token_made_by_an_admin_does_no_more_than_that_admin_may()
    {
        using var alice = _app.CreateClient("alice");
        using var made = await alice.PostAsJsonAsync("/api/tokens", new { name = "all", right = "maintain" });
        var secret = (await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        File.WriteAllText(_files.Combine("rights"), "alice upload widgets\nbob upload widgets\n* read\n");
        File.SetLastWriteTimeUtc(_files.Combine("rights"), DateTime.UtcNow.AddSeconds(5));
        using var token = _app.CreateClient("__token__", secret);

        using var refused = await UploadAsync(token, "gadgets");
        using var allowed = await UploadAsync(token, "widgets");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }
}
