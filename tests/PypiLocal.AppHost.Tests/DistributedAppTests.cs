using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using PypiLocal.Testing;

namespace PypiLocal.AppHost.Tests;

/// <summary>
/// The distributed app as <c>dotnet run --project PypiLocal.AppHost</c> runs it, without a container engine:
/// real redis-server, moto_server, three api processes behind DCP's proxy, the dashboard; real pip and twine.
/// </summary>
public sealed class DistributedAppTests(AspireAppFixture fixture) : IClassFixture<AspireAppFixture>
{
    private const string JsonAccept = "application/vnd.pypi.simple.v1+json";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Cache_storage_and_three_api_replicas_are_running_and_healthy()
    {
        var seen = await Resources.WatchAsync(fixture.App, AllHealthy, Patience);

        Assert.True(AllHealthy(seen.Values), Resources.Describe(seen.Values));
        Assert.Equal(3, seen.Values.Replicas("api").Count());
    }

    [Fact]
    public async Task Pip_installs_a_dependency_chain_uploaded_with_twine_through_the_api_url()
    {
        var dist = Directory.CreateDirectory(fixture.Root.Combine("chain")).FullName;
        var top = DistributionBuilder.Wheel(dist, "aspire-chain-top", "1.0", requiresDist: ["aspire-chain-base>=1.0"]);
        var bottom = DistributionBuilder.Wheel(dist, "aspire-chain-base", "1.0");

        (await TwineAsync(bottom, top)).EnsureSuccess("twine upload through the api URL");
        using var python = await PythonEnvironment.CreateAsync();
        var install = (await python.InstallAsync(new Uri(fixture.ApiUrl, "/simple/").ToString(), "aspire-chain-top"))
            .EnsureSuccess("pip install through the api URL");

        Assert.Contains("Successfully installed aspire-chain-base-1.0 aspire-chain-top-1.0", install.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upload_through_one_replica_is_listed_by_every_other_at_once()
    {
        var replicas = (await Resources.WatchAsync(fixture.App, AllHealthy, Patience)).Values.Replicas("api").Select(r => r.OwnUrl()).ToList();
        Assert.Equal(3, replicas.Count);
        var wheel = DistributionBuilder.WheelBytes("aspire-across", "1.0");
        var filename = DistributionBuilder.WheelFilename("aspire-across", "1.0");

        using (var upload = await SendAsync(HttpMethod.Post, new Uri(replicas[0], "/legacy/"), UploadForm.For(wheel, filename, "aspire-across", "1.0")))
        {
            Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        }

        foreach (var other in replicas.Skip(1))
        {
            Assert.Contains(filename, await ListedFilesAsync(new Uri(other, "/simple/aspire-across/")));
        }
    }

    [Fact]
    public async Task Stopping_a_replica_with_its_resource_command_leaves_the_others_serving_through_the_proxy()
    {
        var replica = (await Resources.WatchAsync(fixture.App, AllHealthy, Patience)).Values.Replicas("api").First().ResourceId;
        try
        {
            var stopped = await fixture.App.ResourceCommands.ExecuteCommandAsync(replica, KnownResourceCommands.StopCommand);
            Assert.True(stopped.Success, stopped.Message);
            var seen = await Resources.WatchAsync(fixture.App, all => all.Any(r => r.ResourceId == replica && IsStopped(r)), Patience);
            Assert.True(IsStopped(seen[replica]), Resources.Describe(seen.Values));

            // DCP's proxy balances connections: each request on a new one, so every remaining replica is asked.
            for (var i = 0; i < 6; i++)
            {
                using var response = await SendAsync(HttpMethod.Get, new Uri(fixture.ApiUrl, "/simple/"));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }
        finally
        {
            // Leave the app as the other tests expect it: three healthy replicas.
            await fixture.App.ResourceCommands.ExecuteCommandAsync(replica, KnownResourceCommands.StartCommand);
            await Resources.WatchAsync(fixture.App, AllHealthy, Patience);
        }
    }

    [Fact]
    public async Task The_dashboard_opened_with_its_login_token_lists_cache_storage_and_api_as_running_and_shows_their_traces()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ProcessRunner.Require("chromium", "apt-get install -y chromium"),
            Args = ["--no-sandbox", "--disable-gpu"],
            Headless = true,
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1600, Height = 900 } });
        await page.GotoAsync(fixture.DashboardLoginUrl);

        var text = "";
        await Eventually.TrueAsync(async () => ListsEveryResourceRunning(text = await BodyTextAsync(page)), Patience);

        var screenshot = await ScreenshotAsync(page, "dashboard.png");
        Assert.True(ListsEveryResourceRunning(text), $"The dashboard's resource page (screenshot: {screenshot}) shows:\n{text}");

        // The replicas' traces reach the dashboard over OTLP: page requests, with spans of their Redis commands
        // (shown against the cache resource).
        using (var request = await SendAsync(HttpMethod.Get, new Uri(fixture.ApiUrl, "/simple/")))
        {
            Assert.Equal(HttpStatusCode.OK, request.StatusCode);
        }

        await page.GotoAsync(new Uri(new Uri(fixture.DashboardLoginUrl), "/traces").ToString());
        await Eventually.TrueAsync(async () => ShowsTracedPageRequests(text = await BodyTextAsync(page)), Patience);

        screenshot = await ScreenshotAsync(page, "dashboard-traces.png");
        Assert.True(ShowsTracedPageRequests(text), $"The dashboard's traces page (screenshot: {screenshot}) shows:\n{text}");
    }

    private static bool ShowsTracedPageRequests(string text) =>
        text.Contains("api: GET /simple", StringComparison.Ordinal) && text.Contains("cache (", StringComparison.Ordinal);

    /// <summary>Kept as a test artifact in the project's TestResults folder.</summary>
    private static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(RepositoryLayout.Root, "tests", "PypiLocal.AppHost.Tests", "TestResults", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        return path;
    }

    /// <summary>
    /// The page's text, after a reload when the dashboard's live connection failed ("An unhandled error has occurred.
    /// Reload", seen under load): a user clicks Reload, and the page never recovers without it.
    /// </summary>
    private static async Task<string> BodyTextAsync(IPage page)
    {
        var text = await page.InnerTextAsync("body");
        if (text.Contains("An unhandled error has occurred", StringComparison.Ordinal))
        {
            await page.ReloadAsync();
            text = await page.InnerTextAsync("body");
        }

        return text;
    }

    /// <summary>The resource page names cache, storage and api, with a Running state for each of their five instances.</summary>
    private static bool ListsEveryResourceRunning(string text) =>
        Resources.Names.All(name => text.Contains(name, StringComparison.Ordinal))
        && text.Split("Running").Length - 1 >= 5;

    private static bool AllHealthy(IReadOnlyCollection<ResourceEvent> resources) =>
        Resources.Names.All(name => resources.Replicas(name).Any())
        && resources.Replicas("api").Count() == 3
        && Resources.Names.SelectMany(name => resources.Replicas(name)).All(r => r.IsRunningAndHealthy());

    private static bool IsStopped(ResourceEvent resource) =>
        resource.Snapshot.State?.Text is "Exited" or "Finished" or "Stopped";

    private async Task<ProcessResult> TwineAsync(params string[] files) =>
        await ProcessRunner.RunAsync(
            ProcessRunner.Require("/usr/bin/twine", "apt-get install -y twine"),
            ["upload", "--non-interactive", "--disable-progress-bar", "--repository-url", new Uri(fixture.ApiUrl, "/legacy/").ToString(), "-u", AspireAppFixture.User, "-p", fixture.Password, .. files],
            new Dictionary<string, string?> { ["HOME"] = fixture.Root.Path, ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring" },
            TimeSpan.FromMinutes(2));

    /// <summary>The filenames a project's JSON page lists.</summary>
    private async Task<List<string>> ListedFilesAsync(Uri page)
    {
        using var response = await SendAsync(HttpMethod.Get, page, accept: JsonAccept);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. json.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("filename").GetString()!)];
    }

    /// <summary>One request on a connection of its own, closed after it (DCP balances per connection).</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, HttpContent? content = null, string? accept = null)
    {
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(60) };
        using var request = new HttpRequestMessage(method, url) { Content = content };
        request.Headers.ConnectionClose = true;
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        if (content is not null)
        {
            request.Headers.Authorization = UploadForm.Basic(AspireAppFixture.User, fixture.Password);
        }

        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

}
