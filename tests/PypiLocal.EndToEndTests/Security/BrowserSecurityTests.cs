using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Security;

/// <summary>
/// What a browser may and may not make the index do (issue 12, points 2 and 7), seen from a real Chromium: a page
/// on another origin cannot change anything even though the browser holds the index's password, the index's own
/// origin can, and a project page loads nothing from a third party.
/// </summary>
public sealed class BrowserSecurityTests(BrowserSecurityFixture fixture) : IClassFixture<BrowserSecurityFixture>
{
    private static readonly string VictimFile = DistributionBuilder.WheelFilename("victim", "1.0");

    [Fact]
    public async Task A_page_on_another_origin_that_posts_a_form_and_a_fetch_with_credentials_changes_nothing()
    {
        var index = fixture.Server.BaseUrl;
        await File.WriteAllTextAsync(Path.Combine(fixture.OtherSiteFolder, "attack.html"), $$"""
            <!DOCTYPE html>
            <html><body>
            <form id="remove" method="post" action="{{index}}/" enctype="multipart/form-data">
              <input name=":action" value="remove_pkg"><input name="name" value="victim"><input name="version" value="1.0">
            </form>
            <script>
              let submitted = false;
              const submit = () => { if (!submitted) { submitted = true; document.getElementById("remove").submit(); } };
              // The form goes even if the fetch never settles, so a stalled fetch cannot hold the test's navigation back.
              setTimeout(submit, 5000);
              fetch("{{index}}/api/projects/victim/files/{{VictimFile}}/yank?reason=csrf", { method: "POST", credentials: "include", mode: "no-cors" })
                .then(() => { document.title = "fetched"; submit(); }, () => { document.title = "fetch failed"; submit(); });
            </script>
            </body></html>
            """);
        await using var context = await fixture.LoggedInContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync($"{fixture.OtherOrigin}/attack.html");
        // The form's navigation may commit before this line runs (the script submits as soon as the fetch settles), and
        // Playwright's WaitForURL with WaitUntil.Commit then waits for an event that already passed: poll the address.
        Assert.True(await Eventually.TrueAsync(() => page.Url == index + "/", TimeSpan.FromSeconds(60)), $"the form never reached the index; the page is at {page.Url}");

        // The form's answer, shown in the browser: the reason, from the guard, not a login prompt.
        var shown = "";
        Assert.True(await Eventually.TrueAsync(async () => (shown = await BodyTextAsync(page)).Contains("Cross-site request refused", StringComparison.Ordinal), TimeSpan.FromSeconds(30)), shown);
        var listed = await ListedFilesAsync("victim");
        Assert.True(listed.ContainsKey(VictimFile), "the cross-site form removed the release");
        Assert.Equal(JsonValueKind.False, listed[VictimFile].ValueKind);
    }

    [Fact]
    public async Task The_index_own_origin_may_yank_with_the_browser_credentials_and_a_tool_without_browser_headers_may_undo_it()
    {
        var file = DistributionBuilder.WheelFilename("own-page", "1.0");
        await using var context = await fixture.LoggedInContextAsync(bypassPolicy: true);
        var page = await context.NewPageAsync();
        await page.GotoAsync(fixture.Server.BaseUrl + "/projects/");

        var status = await page.EvaluateAsync<int>(
            "url => fetch(url, { method: 'POST', credentials: 'include' }).then(r => r.status)",
            $"/api/projects/own-page/files/{file}/yank?reason=from%20the%20index");

        Assert.Equal(200, status);
        Assert.Equal("from the index", (await ListedFilesAsync("own-page"))[file].GetString());

        using var tool = new HttpClient();
        tool.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{BrowserSecurityFixture.User}:{BrowserSecurityFixture.Password}")));
        using var unyank = await tool.PostAsync($"{fixture.Server.BaseUrl}/api/projects/own-page/files/{file}/unyank", null);
        Assert.Equal(HttpStatusCode.OK, unyank.StatusCode);
    }

    [Fact]
    public async Task A_project_page_carries_the_policy_and_its_description_loads_no_image_from_a_third_party()
    {
        await using var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(fixture.Server.BaseUrl + "/projects/tracked/");

        Assert.NotNull(response);
        var headers = await response.AllHeadersAsync();
        Assert.Contains("frame-ancestors 'none'", headers["content-security-policy"]);
        Assert.Contains("img-src 'self';", headers["content-security-policy"]);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
        Assert.Equal($"{fixture.OtherOrigin}/pixel.gif", await page.GetAttributeAsync("main a:text('pixel')", "href"));
        Assert.Equal(0, await page.Locator("main img").CountAsync());
        Assert.DoesNotContain("/pixel.gif", fixture.OtherSiteLog);
    }

    [Fact]
    public async Task Forwarded_headers_count_from_the_configured_proxy_only_even_with_aspnetcore_forwardedheaders_enabled()
    {
        var client = await HomePageFromAsync(IPAddress.Loopback);
        var proxy = await HomePageFromAsync(IPAddress.Parse(BrowserSecurityFixture.TrustedProxy));

        Assert.Contains($"pip install --index-url {fixture.Server.IndexUrl} PACKAGE", client);
        Assert.Contains("pip install --index-url https://pypi.example.com/simple/ PACKAGE", proxy);
    }

    /// <summary>The home page as a client connecting from <paramref name="source"/> sees it, claiming to be forwarded from https://pypi.example.com.</summary>
    private async Task<string> HomePageFromAsync(IPAddress source)
    {
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var http = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get, fixture.Server.BaseUrl + "/");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "pypi.example.com");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    private async Task<Dictionary<string, JsonElement>> ListedFilesAsync(string project)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{fixture.Server.IndexUrl}{project}/");
        request.Headers.Accept.ParseAdd("application/vnd.pypi.simple.v1+json");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("files").EnumerateArray()
            .ToDictionary(f => f.GetProperty("filename").GetString()!, f => f.GetProperty("yanked").Clone());
    }

    // The document may still be replacing itself right after the address changed: read again rather than fail.
    private static async Task<string> BodyTextAsync(Microsoft.Playwright.IPage page)
    {
        try
        {
            return await page.InnerTextAsync("body", new() { Timeout = 5_000 });
        }
        catch (Microsoft.Playwright.PlaywrightException)
        {
            return "";
        }
    }
}
