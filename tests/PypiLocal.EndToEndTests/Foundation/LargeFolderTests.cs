using System.Diagnostics;
using System.Text.Json;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Foundation;

/// <summary>A folder of 10,000 files serves its first page within seconds of start: no file is opened to list it.</summary>
public sealed class LargeFolderTests
{
    [Fact]
    public async Task A_folder_of_ten_thousand_files_serves_its_first_pages_within_seconds_of_start()
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
    }
}
