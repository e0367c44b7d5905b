using System.Net;
using System.Net.Http.Json;
using PypiLocal.Api.Tests.Support;

namespace PypiLocal.Api.Tests.Publishing;

/// <summary><c>/api/users</c>: alice comes from the passwords file, imported into the store at first use; she administers everything.</summary>
public sealed class UserEndpointsTests : IDisposable
{
    private readonly PublishingApplication _stored = new(new Dictionary<string, string> { ["Auth:Accounts"] = "store", ["Auth:PasswordIterations"] = "1000" });

    public void Dispose() => _stored.Dispose();

    [Fact]
    public async Task An_admin_adds_lists_and_removes_accounts_and_bad_requests_get_their_reason()
    {
        using var alice = _stored.CreateClient();

        using var added = await alice.PostAsJsonAsync("/api/users", new { name = "bob", password = "bob-password" });
        var body = await added.Content.ReadAsStringAsync();
        using var twin = await alice.PostAsJsonAsync("/api/users", new { name = "BOB", password = "bob-password" });
        using var weak = await alice.PostAsJsonAsync("/api/users", new { name = "carol", password = "short" });
        using var malformed = await alice.PostAsync("/api/users", new StringContent("{", System.Text.Encoding.UTF8, "application/json"));
        var listed = await alice.GetStringAsync("/api/users");
        using var bobLogsIn = await _stored.CreateClient("bob", "bob-password").GetAsync("/api/users");
        using var removed = await alice.DeleteAsync("/api/users/bob");
        using var missing = await alice.DeleteAsync("/api/users/bob");

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Contains("\"hash\":\"pbkdf2-sha256\"", body);
        Assert.DoesNotContain("bob-password", body);
        Assert.Equal(HttpStatusCode.Conflict, twin.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Equal("A password needs 8 to 1024 characters.", weak.ReasonPhrase);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("\"name\":\"alice\"", listed);
        Assert.Contains("\"hash\":\"htpasswd\"", listed);
        Assert.Contains("\"name\":\"bob\"", listed);
        Assert.Equal(HttpStatusCode.OK, bobLogsIn.StatusCode); // no rights configured: every account may do everything, as before rights
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task With_accounts_in_the_passwords_file_the_api_says_how_to_switch()
    {
        using var app = new PublishingApplication();

        using var refused = await app.CreateClient().PostAsJsonAsync("/api/users", new { name = "bob", password = "bob-password" });

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("set Auth:Accounts=store", refused.ReasonPhrase);
    }

    [Fact]
    public async Task Managing_accounts_needs_an_account() =>
        Assert.Equal(HttpStatusCode.Unauthorized, (await _stored.CreateClient(user: null).GetAsync("/api/users")).StatusCode);
}
