using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using PypiLocal.Api.Tests.Support;
using PypiLocal.Testing;

namespace PypiLocal.Api.Tests.Pypiserver;

/// <summary>pypiserver's URLs beside ours, on one index with pypiserver's options set: what its users' scripts and pins call.</summary>
public sealed class PypiserverUrlTests : IAsyncLifetime
{
    private readonly TempFolder _files = new("pypilocal-welcome");
    private PypiLocalApplicationFactory _app = null!;
    private string _wheel = "";

    public async Task InitializeAsync()
    {
        var welcome = Path.Combine(_files.Path, "welcome.html");
        await File.WriteAllTextAsync(welcome, "<p>{{NUMPKGS}} files at {{ URL }}: {{PACKAGES}} and {{SIMPLE}} (v{{VERSION}})</p>");
        _app = new PypiLocalApplicationFactory(new Dictionary<string, string?>
        {
            ["Index:HashAlgorithm"] = "md5",
            ["Index:FallbackUrl"] = "https://fallback.example/simple/",
            ["Server:CacheControl"] = "600",
            ["Server:WelcomeFile"] = welcome,
            ["Server:HealthEndpoint"] = "/healthz",
        });
        var nested = Directory.CreateDirectory(Path.Combine(_app.Folder, "team")).FullName;
        _wheel = DistributionBuilder.Wheel(nested, "alpha", "1.0");
        DistributionBuilder.Wheel(_app.Folder, "alpha", "2.0");
        DistributionBuilder.Sdist(_app.Folder, "beta", "0.1");
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        _files.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("/alpha/", "/simple/alpha/")]
    [InlineData("/alpha", "/simple/alpha/")]
    [InlineData("/Alpha.Beta/", "/simple/alpha-beta/")]
    public async Task Any_root_path_redirects_to_the_projects_simple_page_so_the_root_works_as_an_index_url(string path, string location)
    {
        using var response = await _app.CreateRawClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task An_unknown_project_redirects_to_the_fallback_index()
    {
        using var response = await _app.CreateRawClient().GetAsync("/simple/no-such-thing/");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("https://fallback.example/simple/no-such-thing/", response.Headers.Location?.AbsoluteUri);
    }

    [Fact]
    public async Task Packages_lists_every_file_with_its_link_hash()
    {
        var client = _app.CreateRawClient();
        using var redirect = await client.GetAsync("/packages");
        var listing = await client.GetStringAsync("/packages/");

        Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
        Assert.Equal("/packages/", redirect.Headers.Location?.OriginalString);
        var md5 = Convert.ToHexStringLower(MD5.HashData(await File.ReadAllBytesAsync(_wheel)));
        Assert.Contains($"<a href=\"/packages/alpha/alpha-1.0-py3-none-any.whl#md5={md5}\">alpha-1.0-py3-none-any.whl</a>", listing, StringComparison.Ordinal);
        Assert.Equal(3, listing.Split("<a href=").Length - 1);
    }

    [Theory]
    [InlineData("/packages/alpha-1.0-py3-none-any.whl")]
    [InlineData("/packages/team/alpha-1.0-py3-none-any.whl")]
    [InlineData("/packages/alpha/alpha-1.0-py3-none-any.whl")]
    public async Task A_file_is_served_at_pypiservers_urls_and_ours_with_cache_control(string path)
    {
        using var response = await _app.CreateRawClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(await File.ReadAllBytesAsync(_wheel), await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("public, max-age=600", response.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData("/packages/alpha-2.0-py3-none-any.whl.metadata")]
    [InlineData("/packages/alpha/alpha-2.0-py3-none-any.whl.metadata")]
    public async Task Core_metadata_carries_cache_control_too(string path)
    {
        using var response = await _app.CreateRawClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Name: alpha", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("public, max-age=600", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task A_missing_file_is_404()
    {
        using var response = await _app.CreateRawClient().GetAsync("/packages/alpha-9.9-py3-none-any.whl");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Project_json_holds_the_latest_version_and_every_releases_urls()
    {
        var client = _app.CreateRawClient();
        using var redirect = await client.GetAsync("/Alpha/json");
        using var json = JsonDocument.Parse(await client.GetStringAsync("/alpha/json"));

        Assert.Equal("/alpha/json", redirect.Headers.Location?.OriginalString);
        Assert.Equal("2.0", json.RootElement.GetProperty("info").GetProperty("version").GetString());
        var url = json.RootElement.GetProperty("releases").GetProperty("1.0")[0].GetProperty("url").GetString();
        Assert.EndsWith("/packages/alpha/alpha-1.0-py3-none-any.whl", url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_welcome_file_is_the_home_page_with_its_variables_filled_in()
    {
        var home = await _app.CreateRawClient().GetStringAsync("/");

        Assert.Matches(@"^<p>3 files at http://localhost/: /packages/ and /simple/ \(v\d+\.\d+\.\d+[^)]*\)</p>", home);
    }

    [Fact]
    public async Task The_health_check_also_answers_at_the_configured_path()
    {
        var client = _app.CreateRawClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/favicon.ico")).StatusCode);
    }

    [Theory]
    [InlineData("sha256", "#sha256=")]
    [InlineData("sha1", "#sha1=")]
    [InlineData("sha512", "#sha512=")]
    [InlineData("off", "")]
    public async Task Hash_algo_decides_the_fragment_of_every_link(string algorithm, string fragment)
    {
        using var app = new PypiLocalApplicationFactory(new Dictionary<string, string?> { ["Index:HashAlgorithm"] = algorithm });
        var wheel = DistributionBuilder.Wheel(app.Folder, "alpha", "1.0");
        var bytes = await File.ReadAllBytesAsync(wheel);
        var hex = algorithm switch
        {
            "sha256" => Convert.ToHexStringLower(SHA256.HashData(bytes)),
            "sha1" => Convert.ToHexStringLower(SHA1.HashData(bytes)),
            "sha512" => Convert.ToHexStringLower(SHA512.HashData(bytes)),
            _ => "",
        };

        var page = await app.CreateRawClient().GetStringAsync("/simple/alpha/");

        Assert.Contains($"href=\"/packages/alpha/alpha-1.0-py3-none-any.whl{fragment}{hex}\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Under_a_server_base_url_links_and_redirects_carry_the_prefix_with_or_without_it_in_the_request()
    {
        using var app = new PypiLocalApplicationFactory(new Dictionary<string, string?> { ["Index:ServerBaseUrl"] = "/pypi/" });
        DistributionBuilder.Wheel(app.Folder, "alpha", "1.0");
        var client = app.CreateRawClient();

        var proxied = await client.GetStringAsync("/pypi/simple/alpha/");
        var stripped = await client.GetStringAsync("/simple/alpha/");
        using var redirect = await client.GetAsync("/pypi/simple/Alpha/");

        Assert.Contains("href=\"/pypi/packages/alpha/alpha-1.0-py3-none-any.whl#sha256=", proxied, StringComparison.Ordinal);
        Assert.Equal(proxied, stripped);
        Assert.Equal("/pypi/simple/alpha/", redirect.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/pypi/packages/alpha-1.0-py3-none-any.whl")).StatusCode);
    }
}
