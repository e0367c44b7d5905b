using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Hosting;

/// <summary>
/// What Kubernetes and the AppHost rely on when they stop a node: on SIGTERM the api process stops accepting
/// connections, finishes the requests under way, and exits 0 within the grace period.
/// </summary>
public sealed class GracefulStopTests
{
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_download_under_way_completes_after_sigterm_and_the_node_then_exits()
    {
        using var packages = new TempFolder("pypilocal-stop");
        var wheel = DistributionBuilder.Wheel(packages.Path, "big", "1.0", paddingBytes: 64 * 1024 * 1024);
        var server = await PypiLocalServer.ServeAsync(packages.Path);
        await using var _ = server;
        using var http = new HttpClient();

        // Start a download and read it slowly, so it is still under way when the stop comes.
        using var response = await http.GetAsync($"{server.BaseUrl}/packages/big/{Path.GetFileName(wheel)}", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        var first = await body.ReadAsync(buffer);
        hash.AppendData(buffer, 0, first);

        var stopping = server.StopAsync(GracePeriod);
        Assert.True(await RefusesConnectionsAsync(server), "the node still accepted connections after SIGTERM");
        Assert.False(server.HasExited, "the node exited before finishing the download under way");

        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }

        Assert.Equal(SHA256.HashData(await File.ReadAllBytesAsync(wheel)), hash.GetHashAndReset());
        Assert.Equal(0, await stopping);
    }

    [Fact]
    public async Task An_upload_under_way_at_sigterm_completes_or_leaves_nothing_behind()
    {
        using var root = new TempFolder("graceful-upload");
        var packages = Directory.CreateDirectory(root.Combine("packages")).FullName;
        var staging = Directory.CreateDirectory(root.Combine("staging")).FullName;
        var passwords = root.Combine("htpasswd");
        await File.WriteAllTextAsync(passwords, $"dev:{{SHA}}{Convert.ToBase64String(SHA1.HashData(Encoding.UTF8.GetBytes("secret")))}\n");
        var wheel = DistributionBuilder.Wheel(root.Path, "graceful-upload", "1.0", paddingBytes: 8 * 1024 * 1024);
        var server = await PypiLocalServer.StartAsync(["serve", packages, "-P", passwords], new Dictionary<string, string?> { ["Publishing__StagingDirectory"] = staging });
        await using var _ = server;

        using var form = UploadForm.For(wheel, "graceful-upload", "1.0");
        var body = new PausingContent(await form.ReadAsByteArrayAsync(), pauseAfter: 1024 * 1024);
        body.Headers.ContentType = form.Headers.ContentType;
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var request = new HttpRequestMessage(HttpMethod.Post, server.BaseUrl + "/legacy/") { Content = body };
        request.Headers.Authorization = UploadForm.Basic("dev", "secret");
        var sending = client.SendAsync(request);

        // A megabyte of the upload has reached the node: stop it, and send the rest once it has stopped listening.
        await body.Paused.WaitAsync(TimeSpan.FromSeconds(30));
        var stopping = server.StopAsync(GracePeriod);
        Assert.True(await RefusesConnectionsAsync(server), "the node still accepted connections after SIGTERM");
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

        Assert.Equal(0, await stopping);
        var stored = Directory.GetFiles(packages, Path.GetFileName(wheel), SearchOption.AllDirectories);
        if (response is { IsSuccessStatusCode: true })
        {
            // Completed: the stored file is exactly what was sent.
            Assert.Equal(SHA256.HashData(await File.ReadAllBytesAsync(wheel)), SHA256.HashData(await File.ReadAllBytesAsync(stored.Single())));
        }
        else
        {
            Assert.Empty(stored);
        }

        Assert.Empty(Directory.GetFiles(staging, "*", SearchOption.AllDirectories));
        response?.Dispose();
    }

    /// <summary>Whether the node stops accepting new connections soon after SIGTERM (its listener closes first).</summary>
    private static Task<bool> RefusesConnectionsAsync(PypiLocalServer server) => Eventually.TrueAsync(
        async () =>
        {
            try
            {
                using var socket = new TcpClient();
                await socket.ConnectAsync(IPAddress.Loopback, server.Port);
                return false;
            }
            catch (SocketException)
            {
                return true;
            }
        },
        TimeSpan.FromSeconds(10));

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
