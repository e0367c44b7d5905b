using System.Net;
using PypiLocal.Api.Tests.Support;
using PypiLocal.Testing;

namespace PypiLocal.Api.Tests.Web;

/// <summary>The human-facing pages: the project list with its search, and a project's page.</summary>
public sealed class WebPagesTests : IDisposable
{
    /// <summary>Markdown with a heading, a link that would run script, and raw HTML that must come out as text.</summary>
    internal const string MarkdownBody = "## Getting started\n\nCall `widget.make()` and see [the docs](https://example.org/docs).\n\n[click me](javascript:alert(1))\n\n<script>alert('owned')</script>\n";

    private readonly PublishingApplication _app = new(new Dictionary<string, string>
    {
        ["Projects:bad-lib:Status"] = "quarantined",
        ["Projects:bad-lib:StatusReason"] = "malware <report>",
        ["Projects:old-lib:Status"] = "archived",
        ["Projects:old-lib:StatusReason"] = "moved to new-lib",
    });

    public WebPagesTests()
    {
        DistributionBuilder.Wheel(_app.Folder, "Fancy.Widget", "1.0", requiresPython: ">=3.8");
        DistributionBuilder.Wheel(_app.Folder, "Fancy.Widget", "2.0rc1");
        DistributionBuilder.Wheel(_app.Folder, "Fancy.Widget", "1.1", metadata: WidgetMetadata("1.1"));
        DistributionBuilder.Sdist(_app.Folder, "Fancy.Widget", "1.1");
        DistributionBuilder.Wheel(_app.Folder, "other-thing", "3.0");
        DistributionBuilder.Wheel(_app.Folder, "bad-lib", "1.0");
        DistributionBuilder.Wheel(_app.Folder, "old-lib", "1.0");
    }

    public void Dispose() => _app.Dispose();

    internal static string WidgetMetadata(string version) =>
        $"Metadata-Version: 2.1\nName: Fancy.Widget\nVersion: {version}\nSummary: Widgets <b>for</b> everyone\nRequires-Python: >=3.9\n"
        + "Requires-Dist: other-thing>=3\nRequires-Dist: colorama; sys_platform == \"win32\"\nDescription-Content-Type: text/markdown; charset=UTF-8\n\n" + MarkdownBody;

    [Fact]
    public async Task The_project_list_searches_by_normalized_name_on_the_server()
    {
        using var client = _app.CreateClient();

        var all = await client.GetStringAsync("/projects/");
        var found = await client.GetStringAsync("/projects/?q=Fancy_Wid");
        var none = await client.GetStringAsync("/projects/?q=%3Cnothing%3E");

        Assert.Contains("<a href=\"/projects/fancy-widget/\">", all);
        Assert.Contains("<a href=\"/projects/other-thing/\">other-thing</a>", all);
        Assert.Contains("<a href=\"/projects/fancy-widget/\">", found);
        Assert.DoesNotContain("other-thing", found);
        Assert.Contains("value=\"Fancy_Wid\"", found);
        Assert.Contains("No project matches.", none);
        Assert.DoesNotContain("<nothing>", none);
    }

    [Fact]
    public async Task The_home_page_keeps_its_instructions_and_links_to_the_project_pages()
    {
        using var client = _app.CreateClient();

        var home = await client.GetStringAsync("/");

        Assert.Contains("pip install --index-url http://localhost/simple/ PACKAGE", home);
        Assert.Contains("href=\"/projects/\"", home);
        Assert.Contains("<a href=\"/projects/fancy-widget/\">", home);
    }

    [Fact]
    public async Task A_project_page_shows_the_latest_release_its_description_as_safe_html_and_every_file()
    {
        using var client = _app.CreateClient();

        using var response = await client.GetAsync("/projects/fancy-widget/");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("<h1>Fancy.Widget <span class=\"muted\">1.1</span></h1>", page); // 2.0rc1 is a pre-release
        Assert.Contains("Widgets &lt;b&gt;for&lt;/b&gt; everyone", page);
        Assert.Contains("pip install --index-url http://localhost/simple/ fancy-widget", page);
        Assert.Contains("<code>&gt;=3.9</code>", page);
        Assert.Contains("<code>colorama; sys_platform == &quot;win32&quot;</code>", page);
        Assert.Contains("<h2>Getting started</h2>", page);
        Assert.Contains("<a href=\"https://example.org/docs\">the docs</a>", page);
        Assert.DoesNotContain("<script>", page);
        Assert.DoesNotContain("javascript:", page);
        Assert.Contains("&lt;script&gt;", page);
        foreach (var file in new[] { "fancy_widget-1.0-py3-none-any.whl", "fancy_widget-1.1-py3-none-any.whl", "fancy_widget-1.1.tar.gz", "fancy_widget-2.0rc1-py3-none-any.whl" })
        {
            Assert.Contains($"<a href=\"/packages/fancy-widget/{file}\">{file}</a>", page);
        }

        Assert.True(page.IndexOf("2.0rc1", StringComparison.Ordinal) < page.IndexOf("fancy_widget-1.0-py3", StringComparison.Ordinal), "newest release first");
    }

    [Fact]
    public async Task A_yanked_file_shows_its_reason()
    {
        using var client = _app.CreateClient();
        using var yank = await client.PostAsync("/api/projects/fancy-widget/files/fancy_widget-1.0-py3-none-any.whl/yank?reason=broken%20%3Cbuild%3E", null);
        Assert.True(yank.IsSuccessStatusCode, $"yank: {yank.StatusCode}");

        var page = await client.GetStringAsync("/projects/fancy-widget/");

        Assert.Contains("<span class=\"yanked\">yanked: broken &lt;build&gt;</span>", page);
    }

    [Theory]
    [InlineData("/projects/Fancy.Widget/", "/projects/fancy-widget/")]
    [InlineData("/projects/fancy-widget", "/projects/fancy-widget/")]
    [InlineData("/projects?q=fancy", "/projects/?q=fancy")]
    public async Task Other_spellings_redirect_permanently_to_the_normalized_url(string path, string location)
    {
        using var client = _app.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("/projects/no-such-thing/", "No project named &#x27;no-such-thing&#x27;")]
    [InlineData("/projects/-bad-/", "not a valid project name")]
    public async Task Unknown_projects_get_a_404_page(string path, string message)
    {
        using var client = _app.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_quarantined_project_shows_its_status_and_no_files()
    {
        using var client = _app.CreateClient();

        var page = await client.GetStringAsync("/projects/bad-lib/");

        Assert.Contains("This project is <strong>quarantined</strong>", page);
        Assert.Contains("malware &lt;report&gt;", page);
        Assert.DoesNotContain("/packages/", page);
        Assert.DoesNotContain("pip install", page);
    }

    [Fact]
    public async Task An_archived_project_shows_its_status_and_its_files()
    {
        using var client = _app.CreateClient();

        var page = await client.GetStringAsync("/projects/old-lib/");

        Assert.Contains("This project is <strong>archived</strong>. It takes no new uploads. Reason: moved to new-lib", page);
        Assert.Contains("/packages/old-lib/old_lib-1.0-py3-none-any.whl", page);
    }

    [Fact]
    public async Task The_pages_need_credentials_when_listing_does()
    {
        using var app = new PublishingApplication(new Dictionary<string, string> { ["Auth:Authenticate"] = "list" });
        using var anonymous = app.CreateClient(user: null);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/projects/")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/projects/anything/")).StatusCode);
    }
}
