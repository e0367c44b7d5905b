using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Web;

/// <summary>
/// A real browser (headless Chromium) reads a project page from a real server: the Markdown description
/// arrives as HTML, and the raw HTML in it stays text, so no script of a package's author runs.
/// </summary>
public sealed class ProjectPageBrowserTests : IAsyncLifetime
{
    private const string Description =
        "## Getting started\n\nInstall it, then call `widget.make()`.\n\n- fast\n- small\n\n<script>document.title='owned'</script>\n";

    private readonly TempFolder _packages = new("pypilocal-web-packages");
    private readonly TempFolder _profile = new("pypilocal-chromium");
    private PypiLocalServer _server = null!;

    public async Task InitializeAsync()
    {
        var metadata = "Metadata-Version: 2.1\nName: Fancy.Widget\nVersion: 1.0\nSummary: Widgets for everyone\n"
            + "Requires-Dist: other-thing>=3\nDescription-Content-Type: text/markdown\n\n" + Description;
        DistributionBuilder.Wheel(_packages.Path, "Fancy.Widget", "1.0", metadata: metadata);
        _server = await PypiLocalServer.ServeAsync(_packages.Path);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _packages.Dispose();
        _profile.Dispose();
    }

    [Fact]
    public async Task Chromium_renders_the_markdown_description_as_html_and_runs_none_of_its_script()
    {
        var chromium = ProcessRunner.Require("chromium", "apt-get install -y chromium");

        var result = await ProcessRunner.RunAsync(
            chromium,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                $"--user-data-dir={_profile.Path}", "--dump-dom", $"{_server.BaseUrl}/projects/Fancy.Widget/",
            ],
            timeout: TimeSpan.FromMinutes(2)); // Chromium's own start takes most of a minute on a busy 2-core machine

        result.EnsureSuccess("chromium --dump-dom");
        var dom = result.StandardOutput;
        Assert.Contains("<h2>Getting started</h2>", dom); // followed the 301 to /projects/fancy-widget/
        Assert.Contains("<li>small</li>", dom);
        Assert.Contains("Widgets for everyone", dom);
        Assert.Contains($"pip install --index-url {_server.IndexUrl} fancy-widget", dom);
        Assert.Contains(">fancy_widget-1.0-py3-none-any.whl</a>", dom);
        Assert.Contains("&lt;script&gt;", dom);
        Assert.DoesNotContain("<title>owned</title>", dom);
    }
}
