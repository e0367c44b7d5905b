using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Playwright;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Security;

/// <summary>
/// Started once for the class: a real <c>pypilocal</c> over a folder with accounts, behind a configured proxy
/// address (127.0.0.2) and with <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c> as Aspire sets it; a second web
/// site on another loopback origin (Python's http.server, logging every request it gets); headless Chromium.
/// </summary>
public sealed class BrowserSecurityFixture : IAsyncLifetime
{
    public const string User = "alice";
    public const string Password = "secret";
    public const string TrustedProxy = "127.0.0.2";

    private readonly TempFolder _root = new("pypilocal-browser-security");
    private BackgroundProcess _otherSite = null!;
    private IPlaywright _playwright = null!;

    public PypiLocalServer Server { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The other site's origin: another host name and port, so Chromium marks requests from it cross-site.</summary>
    public string OtherOrigin { get; private set; } = "";

    public string OtherSiteFolder => _root.Combine("other-site");

    /// <summary>Every request line the other site has received.</summary>
    public string OtherSiteLog => _otherSite.Log;

    public async Task InitializeAsync()
    {
        var packages = Directory.CreateDirectory(_root.Combine("packages")).FullName;
        Directory.CreateDirectory(OtherSiteFolder);
        var otherPort = FreePort.Next();
        OtherOrigin = $"http://localhost:{otherPort.ToString(CultureInfo.InvariantCulture)}";

        DistributionBuilder.Wheel(packages, "victim", "1.0");
        DistributionBuilder.Wheel(packages, "own-page", "1.0");
        var description = $"# Tracked\n\n![pixel]({OtherOrigin}/pixel.gif)\n";
        DistributionBuilder.Wheel(packages, "tracked", "1.0", metadata:
            "Metadata-Version: 2.1\nName: tracked\nVersion: 1.0\nDescription-Content-Type: text/markdown\n\n" + description);

        var passwords = _root.Combine("htpasswd");
        await File.WriteAllTextAsync(passwords, $"{User}:{{SHA}}{Convert.ToBase64String(SHA1.HashData(Encoding.UTF8.GetBytes(Password)))}\n");

        _otherSite = BackgroundProcess.Start(
            "python3", ["-u", "-m", "http.server", otherPort.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--directory", OtherSiteFolder], "python3");
        Server = await PypiLocalServer.StartAsync(
            ["serve", packages, "-P", passwords],
            new Dictionary<string, string?>
            {
                ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true",
                ["Security__TrustedProxies__0"] = TrustedProxy,
                ["Publishing__StagingDirectory"] = _root.Combine("staging"),
                ["Storage__RescanInterval"] = "00:00:00.200",
            });

        using var http = new HttpClient();
        await _otherSite.WaitUntilAsync(async () => (await http.GetAsync(OtherOrigin + "/")).IsSuccessStatusCode, TimeSpan.FromSeconds(20), "python3 -m http.server");

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ProcessRunner.Require("chromium", "apt-get install -y chromium"),
            Args = ["--no-sandbox", "--disable-gpu"],
            Headless = true,
        });
    }

    /// <summary>
    /// A browser profile that knows alice's password for the index, as one that has logged in would. The index's
    /// own pages run no script and their policy forbids fetch; <paramref name="bypassPolicy"/> lets a test script one.
    /// </summary>
    public Task<IBrowserContext> LoggedInContextAsync(bool bypassPolicy = false) =>
        Browser.NewContextAsync(new() { HttpCredentials = new() { Username = User, Password = Password, Origin = Server.BaseUrl }, BypassCSP = bypassPolicy });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        if (_otherSite is not null)
        {
            await _otherSite.DisposeAsync();
        }

        _root.Dispose();
    }
}
