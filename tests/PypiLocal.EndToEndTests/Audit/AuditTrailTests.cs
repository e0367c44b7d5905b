using System.Net;
using System.Text.Json;
using PypiLocal.EndToEndTests.Support;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Audit;

/// <summary>
/// The audit trail after a real session (<see cref="AuditSession"/>): <c>pypilocal audit</c>, the real command, lists
/// every change once, in order, with its author and hashes; the admin endpoint answers the same to admins only; the
/// project page names the uploader of each file.
/// </summary>
public abstract class AuditTrailTests(AuditSession session)
{
    private async Task<List<JsonElement>> CommandEventsAsync(params string[] arguments)
    {
        var result = (await session.CliAsync(["audit", "--json", .. arguments])).EnsureSuccess("pypilocal audit --json");
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
    }

    [Fact]
    public async Task The_audit_command_lists_every_change_once_in_order_with_its_author_and_hashes()
    {
        var events = await CommandEventsAsync();

        Assert.Equal(
            session.Expected.Select(e => (e.Action, e.Filename, e.Sha256)),
            events.Select(e => (e.GetProperty("action").GetString()!, Text(e, "filename"), e.TryGetProperty("hashes", out var h) ? h.GetProperty("sha256").GetString() : null)));
        Assert.Equal(events.Count, events.Select(e => e.GetProperty("id").GetString()).Distinct().Count());
        Assert.Equal(events.Select(e => e.GetProperty("time").GetDateTimeOffset()).Order(), events.Select(e => e.GetProperty("time").GetDateTimeOffset()));

        var token = events[0];
        Assert.Equal(Environment.UserName, token.GetProperty("actor").GetProperty("user").GetString());
        Assert.StartsWith("cli:", token.GetProperty("address").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(session.LimitedToken, token.GetRawText(), StringComparison.Ordinal);
        var changes = events.Skip(1).ToList();
        Assert.All(changes, e => Assert.Equal(Twine.User, e.GetProperty("actor").GetProperty("user").GetString()));
        Assert.All(changes, e => Assert.Equal("127.0.0.1", e.GetProperty("address").GetString()));
        Assert.All(changes, e => Assert.Equal(AuditSession.Project, e.GetProperty("project").GetString()));
        Assert.Equal("broken", changes.Single(e => e.GetProperty("action").GetString() == "yank").GetProperty("detail").GetString());

        // Recorded by every node the session went through.
        Assert.Equal(session.Nodes.Count, changes.Select(e => e.GetProperty("node").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task The_command_filters_by_project_and_time_and_prints_a_line_per_change_naming_its_author()
    {
        var text = (await session.CliAsync("audit", "--project", "Audit_Demo")).EnsureSuccess("pypilocal audit --project").StandardOutput;
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(session.Expected.Count - 1, lines.Length);
        Assert.All(lines, line => Assert.Contains($"  {Twine.User}  {AuditSession.Project}  ", line, StringComparison.Ordinal));
        Assert.Empty(await CommandEventsAsync("--since", DateTimeOffset.UtcNow.AddMinutes(5).ToString("O")));
        Assert.Equal(session.Expected.Count, (await CommandEventsAsync("--since", "1h")).Count);
    }

    [Fact]
    public async Task The_endpoint_refuses_anonymous_and_project_limited_callers_and_answers_admins_the_same_events()
    {
        var node = session.Nodes[^1];
        using var anonymous = AuditSession.Client(node, user: null);
        using var limited = AuditSession.Client(node, "__token__", session.LimitedToken);
        using var admin = AuditSession.Client(node);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/_/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await limited.GetAsync("/_/audit")).StatusCode);
        using var answer = JsonDocument.Parse(await admin.GetStringAsync("/_/audit"));

        Assert.Equal(
            (await CommandEventsAsync()).Select(e => e.GetProperty("id").GetString()),
            answer.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task The_project_page_shows_who_uploaded_each_file()
    {
        using var http = new HttpClient();
        foreach (var node in session.Nodes)
        {
            // Two files are left, each uploaded by alice (a node without Redis may show a page it rendered before the delete for a moment).
            Assert.True(await Eventually.TrueAsync(
                async () => (await http.GetStringAsync($"{node.BaseUrl}/projects/{AuditSession.Project}/")).Split($"<td class=\"uploader\">{Twine.User}</td>").Length - 1 == 2,
                TimeSpan.FromSeconds(30)));
        }
    }

    private static string? Text(JsonElement element, string name) => element.TryGetProperty(name, out var value) ? value.GetString() : null;
}

/// <summary>The distributed mode: two nodes on one bucket.</summary>
public sealed class BucketAuditTrailTests(BucketAuditSession session) : AuditTrailTests(session), IClassFixture<BucketAuditSession>;

/// <summary>The embedded mode: a folder and its state directory.</summary>
public sealed class FolderAuditTrailTests(FolderAuditSession session) : AuditTrailTests(session), IClassFixture<FolderAuditSession>;
