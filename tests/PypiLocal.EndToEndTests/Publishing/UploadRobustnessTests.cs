using System.Diagnostics;
using System.Globalization;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Publishing;

/// <summary>Concurrent uploads lose nothing; an interrupted one leaves nothing behind.</summary>
public abstract class UploadRobustnessTests(PublishingServer server)
{
    [Fact]
    public async Task Twenty_concurrent_twine_uploads_to_one_project_are_all_listed()
    {
        var dist = Directory.CreateDirectory(Path.Combine(server.Dist, "concurrent")).FullName;
        var wheels = Enumerable.Range(0, 20).Select(i => DistributionBuilder.Wheel(dist, "busy-demo", $"1.0.{i}")).ToList();

        var uploads = await Task.WhenAll(wheels.Select(wheel => server.TwineAsync(PublishingServer.User, PublishingServer.Password, wheel)));

        Assert.All(uploads, upload => upload.EnsureSuccess("concurrent twine upload"));
        Assert.Equal(wheels.Select(Path.GetFileName).Order(), (await server.ListedFilesAsync("busy-demo")).Keys.Order());
    }

    [Fact]
    public async Task A_client_killed_halfway_through_an_upload_leaves_nothing_listed_and_nothing_on_disk()
    {
        var script = Path.Combine(server.Dist, "half_upload.py");
        await File.WriteAllTextAsync(script, HalfUploadScript);
        var start = new ProcessStartInfo(PublishingServer.Require("/usr/bin/python3", "python3"))
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
            ArgumentList = { script, server.Server.Port.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String("alice:secret"u8) },
        };
        using var client = Process.Start(start)!;
        try
        {
            Assert.Equal("half sent", await client.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.True(await Eventually.TrueAsync(() => Task.FromResult(Directory.GetFiles(server.Staging).Length > 0), TimeSpan.FromSeconds(10)),
                "the server should be staging the upload");
        }
        finally
        {
            client.Kill(entireProcessTree: true);
            await client.WaitForExitAsync();
        }

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(Directory.GetFiles(server.Staging).Length == 0), TimeSpan.FromSeconds(15)),
            "the staged temporary file should be deleted");
        Assert.Empty(await server.ListedFilesAsync("killed-demo"));
        Assert.DoesNotContain(await server.StoredNamesAsync(), f => f.Contains("killed", StringComparison.Ordinal));
        Assert.False(server.Server.HasExited);
    }

    // Sends the form's fields and half of a 20 MB file, then hangs until killed.
    private const string HalfUploadScript = """
        import socket, sys, time
        port, auth = int(sys.argv[1]), sys.argv[2]
        boundary = "pypilocalboundary"
        fields = {":action": "file_upload", "protocol_version": "1", "metadata_version": "2.1", "name": "killed-demo",
                  "version": "1.0", "filetype": "bdist_wheel", "pyversion": "py3", "sha256_digest": "0" * 64}
        head = "".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields.items())
        head += f'--{boundary}\r\nContent-Disposition: form-data; name="content"; filename="killed_demo-1.0-py3-none-any.whl"\r\nContent-Type: application/octet-stream\r\n\r\n'
        tail = f"\r\n--{boundary}--\r\n"
        size = 20 * 1024 * 1024
        s = socket.create_connection(("127.0.0.1", port))
        request = (f"POST /legacy/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Basic {auth}\r\n"
                   f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {len(head) + size + len(tail)}\r\n\r\n")
        s.sendall(request.encode() + head.encode())
        s.sendall(b"\0" * (size // 2))
        print("half sent", flush=True)
        time.sleep(300)
        """;
}

/// <summary>Over a folder, the embedded default.</summary>
public sealed class FolderUploadRobustnessTests(PublishingServer server) : UploadRobustnessTests(server), IClassFixture<PublishingServer>;

/// <summary>Over an S3 bucket.</summary>
public sealed class S3UploadRobustnessTests(S3PublishingServer server) : UploadRobustnessTests(server), IClassFixture<S3PublishingServer>;
