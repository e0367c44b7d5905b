using PypiLocal.EndToEndTests.Publishing;
using PypiLocal.EndToEndTests.Support;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Auth;

/// <summary>
/// Accounts in the state directory (<c>Auth:Accounts=store</c>, embedded mode): the command line and a running server
/// are two processes on one state directory; what the command line changes counts at the server's next request.
/// </summary>
public sealed class StoredAccountsEmbeddedTests
{
    [Fact]
    public async Task Accounts_the_command_line_adds_imports_changes_and_removes_count_at_the_running_server_s_next_request()
    {
        using var root = new TempFolder("pypilocal-stored-embedded");
        var packages = Directory.CreateDirectory(root.Combine("packages")).FullName;
        var home = Directory.CreateDirectory(root.Combine("home")).FullName;
        var environment = new Dictionary<string, string?>
        {
            ["Storage__StateDirectory"] = root.Combine("state"),
            ["Auth__Accounts"] = "store",
            ["DOTNET_NOLOGO"] = "1",
        };
        await using var server = await PypiLocalServer.StartAsync(["serve", packages], environment);
        Task<ProcessResult> Cli(string? input, params string[] arguments) =>
            PypiLocalCommand.RunAsync([.. arguments, "--packages", packages], environment, TimeSpan.FromMinutes(1), standardInput: input);
        Task<ProcessResult> Upload(string user, string password, string version) =>
            Twine.UploadAsAsync(server.BaseUrl + "/legacy/", home, user, password, DistributionBuilder.Wheel(Directory.CreateDirectory(root.Combine("dist", version)).FullName, "embedded-lib", version));
        var htpasswd = root.Combine("htpasswd");
        await Twine.WritePasswordsAsync(htpasswd); // alice, {SHA} of "secret"

        (await Cli("gina-password\n", "user", "add", "gina")).EnsureSuccess("pypilocal user add gina");
        var imported = (await Cli(null, "user", "import", htpasswd)).EnsureSuccess("pypilocal user import");
        (await Upload("gina", "gina-password", "1.0")).EnsureSuccess("twine upload as gina, added with the command line");
        (await Upload(Twine.User, Twine.Password, "2.0")).EnsureSuccess("twine upload as alice, imported from htpasswd");
        (await Cli("gina-changed\n", "user", "passwd", "gina")).EnsureSuccess("pypilocal user passwd gina");
        var old = await Upload("gina", "gina-password", "3.0");
        (await Upload("gina", "gina-changed", "4.0")).EnsureSuccess("twine upload with gina's new password");
        (await Cli(null, "user", "remove", "gina")).EnsureSuccess("pypilocal user remove gina");
        var removed = await Upload("gina", "gina-changed", "5.0");
        var again = await Cli(null, "user", "remove", "gina");

        Assert.Contains("Imported 1 account(s): alice.", imported.StandardOutput);
        Assert.True(File.Exists(root.Combine("state", "auth", "users", "alice.json")));
        Assert.Contains("403", PublishingServer.Flat(old));
        Assert.Contains("403", PublishingServer.Flat(removed));
        Assert.Contains("Invalid or non-existent authentication information", PublishingServer.Flat(removed));
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("No account 'gina'.", again.StandardError);
        Assert.DoesNotContain("gina-password", server.Log);
    }
}
