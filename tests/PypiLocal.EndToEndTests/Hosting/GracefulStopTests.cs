using System.Net.Sockets;
using System.Security.Cryptography;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Hosting;

/// <summary>SIGTERM on a node: new connections are refused, requests under way finish, the process exits cleanly.</summary>
public sealed class GracefulStopTests
{
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

        var stopping = server.StopAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(500);
        await Assert.ThrowsAnyAsync<SocketException>(async () =>
        {
            using var socket = new TcpClient();
            await socket.ConnectAsync("127.0.0.1", server.Port);
        });

        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }

        Assert.Equal(SHA256.HashData(await File.ReadAllBytesAsync(wheel)), hash.GetHashAndReset());
        Assert.Equal(0, await stopping);
    }
}
