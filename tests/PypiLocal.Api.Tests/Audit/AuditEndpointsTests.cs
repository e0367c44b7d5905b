using System.Net;
using System.Text.Json;
using PypiLocal.Api.Tests.Support;
using PypiLocal.Testing;

namespace PypiLocal.Api.Tests.Audit;

/// <summary><c>GET /_/audit</c> answers admins only, with every change and its author; the project page names each file's uploader.</summary>
public sealed class AuditEndpointsTests : IAsyncLifetime
{
    private readonly PublishingApplication _app = new();
    private readonly TempFolder _dist = new("pypilocal-api-audit");
    private HttpClient _admin = null!;
    private string _sha256 = "";

    public async Task InitializeAsync()
    {
        _admin = _app.CreateClient();
        var wheel = DistributionBuilder.Wheel(_dist.Path, "demo", "1.0");
        _sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(wheel)));
        (await _admin.PostAsync("/legacy/", PublishingApplication.TwineForm(wheel, "demo", "1.0"))).EnsureSuccessStatusCode();
        (await _admin.PostAsync("/api/projects/demo/releases/1.0/yank?reason=broken", null)).EnsureSuccessStatusCode();
    }

    public Task DisposeAsync()
    {
        _admin.Dispose();
        _app.Dispose();
        _dist.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Anonymous_requests_are_asked_for_credentials_and_project_limited_tokens_refused()
    {
        using var anonymous = _app.CreateClient(user: null);
        using var limited = _app.CreateClient("__token__", await _app.CreateTokenAsync("demo"));

        var asked = await anonymous.GetAsync("/_/audit");
        var refused = await limited.GetAsync("/_/audit");

        Assert.Equal(HttpStatusCode.Unauthorized, asked.StatusCode);
        Assert.NotEmpty(asked.Headers.WwwAuthenticate);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task An_admin_reads_every_change_in_order_with_its_author_and_hashes()
    {
        using var response = await _admin.GetAsync("/_/audit?project=Demo");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var events = json.RootElement.EnumerateArray().ToList();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal(["upload", "yank"], events.Select(e => e.GetProperty("action").GetString()));
        Assert.All(events, e => Assert.Equal("alice", e.GetProperty("actor").GetProperty("user").GetString()));
        Assert.All(events, e => Assert.Equal(_sha256, e.GetProperty("hashes").GetProperty("sha256").GetString()));
        Assert.Equal("broken", events[1].GetProperty("detail").GetString());
        Assert.Equal("[]", await _admin.GetStringAsync("/_/audit?project=other"));
        Assert.Equal("[]", await _admin.GetStringAsync("/_/audit?since=" + Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))));
        Assert.Equal(HttpStatusCode.BadRequest, (await _admin.GetAsync("/_/audit?since=yesterday")).StatusCode);
    }

    [Fact]
    public async Task The_project_page_shows_who_uploaded_each_file()
    {
        var page = await _admin.GetStringAsync("/projects/demo/");

        Assert.Contains("<th>By</th>", page, StringComparison.Ordinal);
        Assert.Contains("<td class=\"uploader\">alice</td>", page, StringComparison.Ordinal);
    }
}
