using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Foundation;

/// <summary>The README's run command, word for word: relative folders resolve where the user ran it.</summary>
public sealed class ReadmeRunCommandTests
{
    [Fact]
    public async Task Dotnet_run_serve_dot_slash_packages_serves_the_folder_in_the_current_directory()
    {
        using var workspace = new TempFolder("pypilocal-readme");
        DistributionBuilder.Wheel(workspace.Combine("packages"), "from-readme", "1.0");
        var port = FreePort.Next();
        var project = Path.Combine(RepositoryLayout.Root, "src", "PypiLocal.Api");

        await using var server = BackgroundProcess.Start(
            "dotnet",
            ["run", "--no-build", "-c", RepositoryLayout.Configuration, "--project", project, "--", "serve", "./packages", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--host", "127.0.0.1"],
            "the .NET SDK",
            workingDirectory: workspace.Path);
        await PypiLocalServer.WaitUntilAliveAsync(server, $"http://127.0.0.1:{port}", "dotnet run");

        using var http = new HttpClient();
        var root = await http.GetStringAsync($"http://127.0.0.1:{port}/simple/");

        Assert.Contains("/simple/from-readme/", root);
    }
}
