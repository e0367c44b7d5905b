using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using PypiLocal.AppHost.Orchestration;
using PypiLocal.Testing;

namespace PypiLocal.AppHost.Tests;

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
        var port = FreePort.Next();
        using var api = Process.Start(new ProcessStartInfo("dotnet", [RepositoryLayout.ApiAssembly])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment =
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                ["Storage__Folders__0"] = folder.Path,
                ["ConnectionStrings__storage"] = null,
                ["ConnectionStrings__cache"] = null,
            },
        })!;
        _ = api.StandardOutput.ReadToEndAsync();
        _ = api.StandardError.ReadToEndAsync();
        try
        {
            var baseUrl = $"http://127.0.0.1:{port}";
            Assert.True(await HealthProbes.WaitAsync(ct => HealthProbes.HttpAsync(baseUrl + "/health", requireOk: true, ct), null, TimeSpan.FromSeconds(60), CancellationToken.None),
                "the api did not become healthy");

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
            Assert.True(ProcessTree.Signal(api.Id, ProcessTree.SigTerm));
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
        }
    }
}
