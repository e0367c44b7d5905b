using System.Security.Cryptography;
using System.Text.Json;
using PypiLocal.Testing;

namespace Soak;

/// <summary>
/// After the soak, with every fault healed: each refused or unanswered upload is retried (a retry still refused then
/// is blocked), and each acknowledged upload not deleted since must be listed by every node with its sha256 and yank
/// state and download with that sha256 through every node (one that is not is lost). An acknowledged delete must stay
/// deleted.
/// </summary>
internal sealed class FinalCheck(Cluster cluster, Ledger ledger, Clients clients)
{
    private static readonly TimeSpan RetryFor = TimeSpan.FromSeconds(60);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public List<string> Blocked { get; } = [];
    public List<string> Lost { get; } = [];
    public List<string> LostYanks { get; } = [];
    public List<string> Resurrected { get; } = [];
    public int Retried { get; private set; }

    /// <summary>For lost files: how many have their bytes in the bucket (blobs/…), as boto3 lists it.</summary>
    public string LostInStore { get; private set; } = "";
    public int Checked { get; private set; }

    public async Task RunAsync()
    {
        foreach (var upload in ledger.Uploads.Where(u => !u.Acknowledged))
        {
            await RetryAsync(upload);
        }

        var files = ledger.Uploads.Where(u => u.Acknowledged && !u.Uncertain).ToList();
        foreach (var node in cluster.NodeUrls)
        {
            var listed = new Dictionary<string, (string Sha256, bool Yanked)>();
            var unanswered = new Dictionary<string, string>();
            foreach (var project in files.Select(f => f.Project).Distinct())
            {
                // A node just restarted may answer 503 for a moment; only a page that answers says what is listed.
                var page = (Files: (Dictionary<string, (string Sha256, bool Yanked)>?)null, Status: "");
                await Eventually.TrueAsync(async () => (page = await ListAsync(node, project)).Files is not null, RetryFor);

                if (page.Files is null)
                {
                    unanswered[project] = page.Status;
                }

                foreach (var entry in page.Files ?? [])
                {
                    listed[entry.Key] = entry.Value;
                }
            }

            foreach (var file in files)
            {
                var seen = listed.GetValueOrDefault(file.Filename);
                if (file.Deleted)
                {
                    if (seen.Sha256 is not null)
                    {
                        Resurrected.Add($"{file.Filename} via {node}");
                    }

                    continue;
                }

                Checked++;
                if (seen.Sha256 != file.Sha256 || await DownloadedSha256Async(node, file) != file.Sha256)
                {
                    Lost.Add($"{file.Filename} via {node}: " + (unanswered.TryGetValue(file.Project, out var status) ? $"its page answered {status}" : $"listed {seen.Sha256 ?? "not at all"}") + $" ({file.When})");
                }
                else if (file.Yanked && !seen.Yanked)
                {
                    LostYanks.Add($"{file.Filename} via {node}");
                }
            }
        }
    }

    /// <summary>Whether the lost files' bytes are still in the bucket: an index that forgot them, or bytes gone too.</summary>
    public async Task ExplainLossAsync()
    {
        if (Lost.Count == 0)
        {
            return;
        }

        var keys = await cluster.StoreKeysAsync();
        var lost = ledger.Uploads.Where(u => Lost.Any(l => l.StartsWith(u.Filename + " ", StringComparison.Ordinal))).ToList();
        var withBytes = lost.Count(u => keys.Any(k => k.StartsWith($"blobs/{u.Project}/", StringComparison.Ordinal) && k.EndsWith("/" + u.Filename, StringComparison.Ordinal)));
        LostInStore = $"{withBytes} of the {lost.Count} lost files have their bytes in the bucket; index documents there: {string.Join(", ", keys.Where(k => k.StartsWith("index/", StringComparison.Ordinal)))}.";
    }

    /// <summary>Retries through the nodes in turn while the answer is an outage's (503, or none), until one minute has passed.</summary>
    private async Task RetryAsync(Ledger.Upload upload)
    {
        Retried++;
        var status = 0;
        var attempt = 0;
        await Eventually.TrueAsync(
            async () => (status = await clients.RetryAsync(cluster.NodeUrls[attempt++ % cluster.NodeCount], upload)) is not (0 or 503),
            RetryFor);

        if (status != 200)
        {
            Blocked.Add($"{upload.Filename}: the retry answered {(status == 0 ? "nothing" : status)}");
        }
    }

    /// <summary>A node's JSON page of a project as filename → (sha256, yanked); no files and the status when it does not answer 200.</summary>
    private async Task<(Dictionary<string, (string Sha256, bool Yanked)>? Files, string Status)> ListAsync(string node, string project)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{node}/simple/{project}/");
        request.Headers.Accept.ParseAdd("application/vnd.pypi.simple.v1+json");
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (null, e.Message);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                return (null, $"{(int)response.StatusCode} {response.ReasonPhrase}");
            }

            using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return (Files(page), "200");
        }
    }

    private static Dictionary<string, (string Sha256, bool Yanked)> Files(JsonDocument page) =>
        page.RootElement.GetProperty("files").EnumerateArray().ToDictionary(
            f => f.GetProperty("filename").GetString()!,
            f => (f.GetProperty("hashes").GetProperty("sha256").GetString()!, f.TryGetProperty("yanked", out var y) && y.ValueKind != JsonValueKind.False));

    private async Task<string?> DownloadedSha256Async(string node, Ledger.Upload file)
    {
        using var response = await _http.GetAsync($"{node}/packages/{file.Project}/{file.Filename}");
        return response.IsSuccessStatusCode ? Convert.ToHexStringLower(SHA256.HashData(await response.Content.ReadAsByteArrayAsync())) : null;
    }
}
