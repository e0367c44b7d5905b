using System.Security.Cryptography;
using System.Text.Json;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Storage;

/// <summary>
/// The fault suite's check after a fault: every wheel acknowledged with 200 (the first time or on retry) is listed
/// with its sha256 by every node and downloads with that sha256 through every node, so nothing acknowledged was lost.
/// </summary>
internal static class KeptUploads
{
    public static async Task AssertKeptAsync(IReadOnlyList<PypiLocalServer> nodes, string project, IReadOnlyCollection<string> wheels, string fault)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var expected = new Dictionary<string, string>();
        foreach (var wheel in wheels)
        {
            expected[Path.GetFileName(wheel)] = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(wheel)));
        }

        foreach (var node in nodes)
        {
            Dictionary<string, string> listed = [];
            var complete = await Eventually.TrueAsync(
                async () =>
                {
                    listed = await ListedAsync(http, node, project);
                    return expected.All(e => listed.GetValueOrDefault(e.Key) == e.Value);
                },
                TimeSpan.FromSeconds(15));
            var missing = expected.Where(e => listed.GetValueOrDefault(e.Key) != e.Value).Select(e => e.Key);
            Assert.True(complete, $"after the '{fault}' fault {node.BaseUrl} should list every acknowledged wheel with its sha256; missing or wrong: {string.Join(", ", missing)}");

            foreach (var (filename, sha256) in expected)
            {
                var bytes = await http.GetByteArrayAsync($"{node.BaseUrl}/packages/{project}/{filename}");
                Assert.True(sha256 == Convert.ToHexStringLower(SHA256.HashData(bytes)), $"{filename} downloaded through {node.BaseUrl} should have sha256 {sha256} after the '{fault}' fault");
            }
        }
    }

    /// <summary>A node's JSON project page as filename → sha256 (empty when the project is not there, or not yet).</summary>
    public static async Task<Dictionary<string, string>> ListedAsync(HttpClient http, PypiLocalServer node, string project)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{node.IndexUrl}{project}/");
        request.Headers.Accept.ParseAdd("application/vnd.pypi.simple.v1+json");
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            return [];
        }

        using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return page.RootElement.GetProperty("files").EnumerateArray()
            .ToDictionary(f => f.GetProperty("filename").GetString()!, f => f.GetProperty("hashes").GetProperty("sha256").GetString()!);
    }
}
