using System.Diagnostics;
using System.Text.Json;
using PypiLocal.EndToEndTests.Pypiserver;
using PypiLocal.Testing;
using Xunit.Abstractions;

namespace PypiLocal.EndToEndTests.Foundation;

/// <summary>
/// A folder of 10,000 files serves its first pages within seconds of start (no file is opened to list it), and once its
/// files are hashed a restart hashes none of them again: their facts are in the state directory, not in the folder.
/// </summary>
public sealed class LargeFolderTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_folder_of_ten_thousand_files_serves_its_first_pages_within_seconds_and_a_restart_hashes_none_again()
    {
        using var packages = new TempFolder("pypilocal-large");
        var template = DistributionBuilder.Wheel(packages.Path, "template", "1.0");
        for (var i = 0; i < 10_000; i++)
        {
            File.Copy(template, packages.Combine($"project_{i % 2_000}-1.{i}-py3-none-any.whl"));
        }

        File.Delete(template);
        var clock = Stopwatch.StartNew();
        await using var server = await PypiLocalServer.ServeAsync(packages.Path);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, server.IndexUrl);
        request.Headers.Accept.ParseAdd("application/vnd.pypi.simple.v1+json");
        using var root = JsonDocument.Parse(await (await http.SendAsync(request)).Content.ReadAsStringAsync());
        var project = await http.GetStringAsync(server.IndexUrl + "project-1999/");
        clock.Stop();

        Assert.Equal(2_000, root.RootElement.GetProperty("projects").GetArrayLength());
        Assert.Equal(5, project.Split("<a ").Length - 1);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"Start to first pages took {clock.Elapsed}.");

        await PypiserverCommand.WaitUntilIndexedAsync(server, TimeSpan.FromMinutes(5));
        Assert.Equal(10_000, await PypiserverCommand.MetricAsync(server, "pypilocal_folder_files_hashed_total"));
        Assert.Equal(0, await server.StopAsync(TimeSpan.FromSeconds(30)));

        clock.Restart();
        await using var restarted = await PypiLocalServer.ServeAsync(packages.Path);
        var again = await http.GetStringAsync(restarted.IndexUrl + "project-1999/");
        output.WriteLine($"Restart to the first project page: {clock.Elapsed.TotalMilliseconds:F0} ms (process start included)");
        await PypiserverCommand.WaitUntilIndexedAsync(restarted, TimeSpan.FromMinutes(2));

        Assert.Equal(project, again);
        Assert.Equal(0, await PypiserverCommand.MetricAsync(restarted, "pypilocal_folder_files_hashed_total"));
        Assert.Equal(10_000, Directory.EnumerateFileSystemEntries(packages.Path, "*", SearchOption.AllDirectories).Count());
    }
}
