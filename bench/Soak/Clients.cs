using System.Security.Cryptography;
using System.Text.RegularExpressions;
using PypiLocal.Testing;

namespace Soak;

/// <summary>
/// The clients of the soak: uploads (as twine posts them, and now and then twine itself), pip installs, yanks,
/// deletes and page reads, each through a node picked at random, every answer written to the ledger.
/// </summary>
internal sealed partial class Clients(Cluster cluster, Ledger ledger, string dist) : IDisposable
{
    private const int Projects = 8;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private int _versions;

    /// <summary>One operation chosen at random, as a mixed CI population would send them; <paramref name="pip"/> for installs.</summary>
    public async Task OneAsync(PythonEnvironment? pip)
    {
        var roll = RandomNumberGenerator.GetInt32(100);
        var node = cluster.NodeUrls[RandomNumberGenerator.GetInt32(cluster.NodeCount)];
        switch (roll)
        {
            case < 45: await UploadAsync(node, viaTwine: roll < 4); break;
            case < 60: await YankAsync(node); break;
            case < 70: await DeleteAsync(node); break;
            case < 80 when pip is not null: await InstallAsync(node, pip); break;
            default: await ReadAsync(node); break;
        }
    }

    /// <summary>Posts a new wheel; a refused or unanswered one stays unacknowledged, to be retried once the faults are gone.</summary>
    public async Task UploadAsync(string node, bool viaTwine = false)
    {
        var n = Interlocked.Increment(ref _versions);
        var project = $"soak-{n % Projects}";

        // Every eighth wheel is big enough to be mid-transfer when a fault comes.
        var path = DistributionBuilder.Wheel(dist, project, $"1.{n}", paddingBytes: n % 8 == 0 ? 512 * 1024 : 0);
        var upload = new Ledger.Upload(project, $"1.{n}", path, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path))));
        ledger.Add(upload);
        var started = ledger.Elapsed();
        var status = viaTwine ? await TwineAsync(node, path) : await PostAsync(node, upload);
        var ended = ledger.Elapsed();
        ledger.Release(upload, u => (u.Acknowledged, u.When) = (status == 200, $"uploaded {started}..{ended} via {node}"));
    }

    /// <summary>Sends an upload's wheel again (the retry a CI job makes); returns the status.</summary>
    public async Task<int> RetryAsync(string node, Ledger.Upload upload)
    {
        var started = ledger.Elapsed();
        var status = await PostAsync(node, upload);
        var ended = ledger.Elapsed();
        ledger.Release(upload, u => (u.Acknowledged, u.When) = (u.Acknowledged || status == 200, status == 200 ? $"retried {started}..{ended} via {node}" : u.When));
        return status;
    }

    private async Task<int> PostAsync(string node, Ledger.Upload upload)
    {
        using var form = UploadForm.For(upload.Path, upload.Project, upload.Version);
        return await SendAsync("upload", node, () => new HttpRequestMessage(HttpMethod.Post, node + "/legacy/") { Content = form });
    }

    private async Task<int> TwineAsync(string node, string path)
    {
        var result = await ProcessRunner.RunAsync(
            "/usr/bin/twine",
            ["upload", "--non-interactive", "--disable-progress-bar", "--repository-url", node + "/legacy/", "-u", Cluster.User, "-p", Cluster.Password, path],
            new Dictionary<string, string?> { ["HOME"] = cluster.Root, ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring" },
            TimeSpan.FromMinutes(3));
        var status = result.ExitCode == 0 ? 200 : TwineStatus().Match(result.Output) is { Success: true } m ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        ledger.Answer("upload (twine)", node, status, TwineStatus().Match(result.Output).Value.ReplaceLineEndings(" "));
        return status;
    }

    private async Task YankAsync(string node)
    {
        if (ledger.Take(u => !u.Yanked) is not { } upload)
        {
            return;
        }

        var status = await SendAsync("yank", node, () => new HttpRequestMessage(HttpMethod.Post, $"{node}/api/projects/{upload.Project}/files/{upload.Filename}/yank?reason=soak"));
        ledger.Release(upload, u => u.Yanked |= status == 200);
    }

    private async Task DeleteAsync(string node)
    {
        if (ledger.Take(_ => true) is not { } upload)
        {
            return;
        }

        var status = await SendAsync("delete", node, () => new HttpRequestMessage(HttpMethod.Delete, $"{node}/api/projects/{upload.Project}/files/{upload.Filename}"));
        ledger.Release(upload, u => (u.Deleted, u.Uncertain) = (status == 200, status != 200));
    }

    private async Task InstallAsync(string node, PythonEnvironment pip)
    {
        if (ledger.Take(_ => true) is not { } upload)
        {
            return;
        }

        // An exact pin installs a yanked file too (PEP 592).
        var result = await pip.PipAsync("install", "--index-url", node + "/simple/", "--no-deps", "--force-reinstall", "--quiet", $"{upload.Project}=={upload.Version}");
        // pip retries 5xx itself and hides the answers' reasons, so its failures are listed apart, not counted as 5xx.
        ledger.Install(node, result.ExitCode == 0, LastLine(result.Output));
        ledger.Release(upload);
    }

    private async Task ReadAsync(string node)
    {
        var project = $"soak-{RandomNumberGenerator.GetInt32(Projects)}";
        await SendAsync("page", node, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"{node}/simple/{project}/");
            request.Headers.Accept.ParseAdd("application/vnd.pypi.simple.v1+json");
            return request;
        });
    }

    private async Task<int> SendAsync(string kind, string node, Func<HttpRequestMessage> create)
    {
        try
        {
            using var request = create();
            request.Headers.Authorization = UploadForm.Basic(Cluster.User, Cluster.Password);
            using var response = await _http.SendAsync(request);
            ledger.Answer(kind, node, (int)response.StatusCode, response.ReasonPhrase ?? "");
            return (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            ledger.Answer(kind, node, 0, e.Message);
            return 0;
        }
    }

    private static string LastLine(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim() ?? "";

    // twine prints the status line, then the answer's body (our reason) on the next line.
    [GeneratedRegex(@"HTTPError: (\d{3})[^\n]*\n?[^\n]*")]
    private static partial Regex TwineStatus();

    public void Dispose() => _http.Dispose();
}
