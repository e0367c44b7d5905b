using System.Net;
using PypiLocal.Api.Tests.Support;
using PypiLocal.Testing;

namespace PypiLocal.Api.Tests.Security;

/// <summary>
/// The cross-site rule on every route that changes something: what browsers mark as another site's is refused with
/// the reason; what tools send (neither header) and the index's own origin pass. Chromium proves it end to end.
/// </summary>
public sealed class CrossSiteRequestGuardTests : IAsyncLifetime
{
    private readonly PublishingApplication _app = new(new Dictionary<string, string> { ["Security:PublicUrl"] = "https://pypi.example.com/base/" });
    private readonly TempFolder _dist = new("pypilocal-api-csrf");
    private HttpClient _client = null!;
    private string _wheel = "";

    public Task InitializeAsync()
    {
        _client = _app.CreateClient();
        _wheel = DistributionBuilder.Wheel(_dist.Path, "guarded", "1.0");
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _client.Dispose();
        _app.Dispose();
        _dist.Dispose();
        return Task.CompletedTask;
    }

    public static TheoryData<string, string?, string?> Refused => new()
    {
        { "POST", "http://evil.example", null },
        { "POST", "null", null },
        { "POST", "http://localhost.evil.example", "cross-site" },
        { "POST", null, "cross-site" },
        { "POST", null, "same-site" },
        { "DELETE", "https://pypi.example.com.evil.example", null },
        { "PUT", null, "cross-site" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_request_a_browser_marks_as_another_site_is_refused_with_the_reason_and_changes_nothing(string method, string? origin, string? site)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), method == "POST" ? "/legacy/" : "/api/projects/guarded/releases/1.0")
        {
            Content = method == "POST" ? PublishingApplication.TwineForm(_wheel, "guarded", "1.0") : null,
        };
        Mark(request, origin, site);

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.StartsWith("Cross-site request refused", response.ReasonPhrase);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/simple/guarded/")).StatusCode);
    }

    [Theory]
    [InlineData(null, null)] // twine, uv, poetry, pdm, pip, curl
    [InlineData("http://localhost", "same-origin")] // a page of this index, as the test host addresses it
    [InlineData("https://pypi.example.com", "cross-site")] // Security:PublicUrl, when the node sees another host
    [InlineData(null, "none")] // typed by the user
    public async Task Tools_and_the_index_own_origin_may_upload(string? origin, string? site)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/legacy/") { Content = PublishingApplication.TwineForm(_wheel, "guarded", "1.0") };
        Mark(request, origin, site);

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Reads_from_another_site_are_answered_with_the_security_headers()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/simple/");
        Mark(request, "http://evil.example", "cross-site");

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Contains("frame-ancestors 'none'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
    }

    private static void Mark(HttpRequestMessage request, string? origin, string? site)
    {
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (site is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", site);
        }
    }
}
