using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Hosting;

/// <summary>
/// What Kubernetes and the AppHost rely on when they stop a node: on SIGTERM the real api process stops
/// accepting connections, finishes the requests under way, and exits on its own within the grace period.
/// </summary>
public sealed class ApiGracefulStopTests
{
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task SIGTERM_finishes_a_download_in_progress_refuses_new_connections_and_exits_cleanly()
    {
        using var folder = new TempFolder("graceful-stop");
        var wheel = DistributionBuilder.Wheel(folder.Path, "graceful-big", "1.0", paddingBytes: 48 * 1024 * 1024);
        var expected = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(wheel)));
        var (api, baseUrl) = await StartApiAsync(folder.Path);
        try
        {

            using var downloader = new HttpClient();
            using var response = await downloader.GetAsync($"{baseUrl}/packages/graceful-big/{Path.GetFileName(wheel)}", HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var body = await response.Content.ReadAsStreamAsync();
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[1024 * 1024];
            var read = await body.ReadAtLeastAsync(buffer, buffer.Length);
            hash.AppendData(buffer, 0, read);

            // The download is now stalled on the socket, mid-file: stop the node.
            var stoppedAt = Stopwatch.StartNew();
            Assert.True(SendSigterm(api));
            await Task.Delay(TimeSpan.FromSeconds(1));

            using (var late = new HttpClient { Timeout = TimeSpan.FromSeconds(5) })
            {
                await Assert.ThrowsAsync<HttpRequestException>(() => late.GetAsync(baseUrl + "/health"));
            }
            Assert.False(api.HasExited, "the api exited before finishing the download in progress");

            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
            Assert.Equal(expected, Convert.ToHexStringLower(hash.GetHashAndReset()));

            using var exit = new CancellationTokenSource(GracePeriod);
            await api.WaitForExitAsync(exit.Token);
            Assert.Equal(0, api.ExitCode);
            Assert.True(stoppedAt.Elapsed < GracePeriod);
        }
        finally
        {
            if (!api.HasExited)
            {
                api.Kill(entireProcessTree: true);
            }
            api.Dispose();
        }
    }

    [Fact]
    public async Task SIGTERM_during_an_upload_lets_it_complete_or_leaves_nothing_behind()
    {
        using var root = new TempFolder("graceful-upload");
        var packages = Directory.CreateDirectory(root.Combine("packages")).FullName;
        var staging = Directory.CreateDirectory(root.Combine("staging")).FullName;
        var dist = Directory.CreateDirectory(root.Combine("dist")).FullName;
        var passwords = root.Combine("htpasswd");
        File.WriteAllText(passwords, $"dev:{{SHA}}{Convert.ToBase64String(SHA1.HashData(Encoding.UTF8.GetBytes("secret")))}\n");
        var wheel = DistributionBuilder.Wheel(dist, "graceful-upload", "1.0", paddingBytes: 8 * 1024 * 1024);
        var (api, baseUrl) = await StartApiAsync(packages, new()
        {
            ["Auth__PasswordsFile"] = passwords,
            ["Publishing__StagingDirectory"] = staging,
        });
        try
        {
            var form = await TwineFormBytesAsync(wheel, "graceful-upload", "1.0");
            var body = new PausingContent(form.Bytes, pauseAfter: 1024 * 1024);
            body.Headers.ContentType = form.ContentType;
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            using var request = new HttpRequestMessage(HttpMethod.Post, baseUrl + "/legacy/") { Content = body };
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("dev:secret")));
            var sending = client.SendAsync(request);

            // A megabyte of the upload has reached the node: stop it, then send the rest.
            await body.Paused.WaitAsync(TimeSpan.FromSeconds(30));
            var stoppedAt = Stopwatch.StartNew();
            Assert.True(SendSigterm(api));
            await Task.Delay(TimeSpan.FromSeconds(1));
            body.Resume();

            HttpResponseMessage? response = null;
            try
            {
                response = await sending;
            }
            catch (HttpRequestException)
            {
                // Refused mid-way: allowed, as long as nothing is left behind (checked below).
            }

            using var exit = new CancellationTokenSource(GracePeriod);
            await api.WaitForExitAsync(exit.Token);
            Assert.Equal(0, api.ExitCode);
            Assert.True(stoppedAt.Elapsed < GracePeriod);

            var stored = Directory.GetFiles(packages, Path.GetFileName(wheel), SearchOption.AllDirectories);
            if (response is { IsSuccessStatusCode: true })
            {
                // Completed: the stored file is exactly what was sent.
                Assert.Equal(SHA256.HashData(File.ReadAllBytes(wheel)), SHA256.HashData(File.ReadAllBytes(stored.Single())));
            }
            else
            {
                Assert.Empty(stored);
            }
            Assert.Empty(Directory.GetFiles(staging, "*", SearchOption.AllDirectories));
            response?.Dispose();
        }
        finally
        {
            if (!api.HasExited)
            {
                api.Kill(entireProcessTree: true);
            }
            api.Dispose();
        }
    }

    private static async Task<(Process Api, string BaseUrl)> StartApiAsync(string folder, Dictionary<string, string?>? environment = null)
    {
        var port = FreePort.Next();
        var info = new ProcessStartInfo("dotnet", [RepositoryLayout.ApiAssembly])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["Storage__Folders__0"] = folder;
        info.Environment.Remove("ConnectionStrings__storage");
        info.Environment.Remove("ConnectionStrings__cache");
        foreach (var (key, value) in environment ?? [])
        {
            info.Environment[key] = value;
        }
        var api = Process.Start(info)!;
        _ = api.StandardOutput.ReadToEndAsync();
        _ = api.StandardError.ReadToEndAsync();
        var baseUrl = $"http://127.0.0.1:{port}";
        Assert.True(await WaitHealthyAsync(baseUrl + "/health", TimeSpan.FromSeconds(60)), "the api did not become healthy");
        return (api, baseUrl);
    }

    private static bool SendSigterm(Process process)
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        return kill.ExitCode == 0;
    }

    private static async Task<bool> WaitHealthyAsync(string url, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await http.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            await Task.Delay(200);
        }

        return false;
    }

    /// <summary>The multipart form twine posts (fields first, the file last as "content"), as bytes.</summary>
    private static async Task<(byte[] Bytes, MediaTypeHeaderValue ContentType)> TwineFormBytesAsync(string path, string name, string version)
    {
        var bytes = File.ReadAllBytes(path);
        using var form = new MultipartFormDataContent();
        foreach (var (key, value) in new Dictionary<string, string>
        {
            [":action"] = "file_upload",
            ["protocol_version"] = "1",
            ["metadata_version"] = "2.1",
            ["name"] = name,
            ["version"] = version,
            ["filetype"] = "bdist_wheel",
            ["pyversion"] = "py3",
            ["sha256_digest"] = Convert.ToHexStringLower(SHA256.HashData(bytes)),
        })
        {
            form.Add(new StringContent(value), key);
        }
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "content", Path.GetFileName(path));
        return (await form.ReadAsByteArrayAsync(), form.Headers.ContentType!);
    }

    /// <summary>A request body that stops after <c>pauseAfter</c> bytes until the test resumes it.</summary>
    private sealed class PausingContent(byte[] bytes, int pauseAfter) : HttpContent
    {
        private readonly TaskCompletionSource _paused = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _resume = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Paused => _paused.Task;

        public void Resume() => _resume.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(bytes.AsMemory(0, pauseAfter));
            await stream.FlushAsync();
            _paused.TrySetResult();
            await _resume.Task;
            await stream.WriteAsync(bytes.AsMemory(pauseAfter));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = bytes.Length;
            return true;
        }
    }
}
