using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PypiLocal.EndToEndTests.Support;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Publishing;

/// <summary>
/// A node killed with SIGKILL in the middle of a large upload leaves nothing that blocks the retry: the same
/// filename uploaded again through a restarted node is accepted, and pip installs it with the right hash. Real
/// processes throughout: pypilocal, twine, pip, and moto_server checking every signature.
/// </summary>
public sealed class KilledNodeUploadTests : IAsyncLifetime
{
    private const int WheelPadding = 24 * 1024 * 1024; // past the 16 MiB part size: a multipart upload

    private readonly TempFolder _root = new("pypilocal-killed-node");
    private MotoServer _moto = null!;
    private PythonEnvironment _python = null!;

    public async Task InitializeAsync()
    {
        await Twine.WritePasswordsAsync(_root.Combine("htpasswd"));
        var moto = MotoServer.StartAsync();
        _python = await PythonEnvironment.CreateAsync();
        _moto = await moto;
    }

    public async Task DisposeAsync()
    {
        _python.Dispose();
        await _moto.DisposeAsync();
        _root.Dispose();
    }

    [Fact]
    public async Task On_S3_a_node_killed_after_storing_the_bytes_and_before_the_index_entry_blocks_no_retry()
    {
        // The node reaches the store through a relay that holds the index write back, so the kill lands after
        // the bytes are stored and before the entry is written: the object is there, unlisted.
        await using var relay = TcpRelay.Start(_moto.Port);
        var environment = NodeEnvironment("s3");
        environment["ConnectionStrings__storage"] = $"Endpoint=http://127.0.0.1:{relay.Port};AccessKey={_moto.AccessKey};SecretKey={_moto.SecretKey}";
        var wheel = DistributionBuilder.Wheel(_root.Combine("dist-s3"), "killed-s3", "1.0", paddingBytes: WheelPadding);
        var indexWrite = Encoding.ASCII.GetBytes("PUT /pypilocal/index/killed-s3.json ");

        await using (var node = await StartNodeAsync(environment))
        {
            var heldBack = relay.StallBefore(TcpRelay.Direction.ToServer, read => read.Span.StartsWith(indexWrite));
            var upload = TwineAsync(node, wheel);
            await heldBack.WaitAsync(TimeSpan.FromSeconds(120));
            KillHard(node);
            relay.Restore();
            Assert.NotEqual(0, (await upload).ExitCode);
        }

        Assert.Contains(await _moto.ListKeysAsync(), key => key.StartsWith("blobs/killed-s3/", StringComparison.Ordinal) && key.EndsWith(".whl", StringComparison.Ordinal));
        await using var restarted = await StartNodeAsync(environment);
        await RetryAndInstallAsync(restarted, wheel, "killed_s3");
    }

    [Fact]
    public async Task In_a_folder_a_node_killed_while_storing_a_large_upload_blocks_no_retry()
    {
        var packages = Directory.CreateDirectory(_root.Combine("packages")).FullName;
        var environment = NodeEnvironment("folder");
        var staging = environment["Publishing__StagingDirectory"]!;
        var wheel = DistributionBuilder.Wheel(_root.Combine("dist-folder"), "killed-folder", "1.0", paddingBytes: WheelPadding);
        var size = new FileInfo(wheel).Length;

        await using (var node = await StartNodeAsync(environment, packages))
        {
            // Killed once the node holds the whole upload: while it checks, copies and publishes it.
            var upload = TwineAsync(node, wheel);
            await Eventually.TrueAsync(
                () => Task.FromResult(upload.IsCompleted || Directory.EnumerateFiles(staging).Any(f => new FileInfo(f).Length >= size)),
                TimeSpan.FromSeconds(120));
            KillHard(node);
            await upload;
        }

        // What a kill during the copy leaves: a hidden partial copy. The kill's own is recent and nobody holds it open
        // any more; this one is older than the sweep's grace period. The restart removes both.
        var leftover = Path.Combine(packages, $".{Path.GetFileName(wheel)}.{Guid.NewGuid():N}.partial");
        await File.WriteAllBytesAsync(leftover, [1, 2, 3]);
        File.SetLastWriteTimeUtc(leftover, DateTime.UtcNow.AddDays(-1));

        await using var restarted = await StartNodeAsync(environment, packages);
        Assert.False(File.Exists(leftover), "a stale .partial file should be swept at start");
        Assert.Empty(Directory.EnumerateFiles(packages, "*.partial", SearchOption.AllDirectories));
        await RetryAndInstallAsync(restarted, wheel, "killed_folder");
        Assert.Empty(Directory.EnumerateFiles(packages, "*.partial", SearchOption.AllDirectories));
    }

    /// <summary>The same file uploaded again is accepted, listed with its sha256, and installed by pip (which checks it).</summary>
    private async Task RetryAndInstallAsync(PypiLocalServer node, string wheel, string module)
    {
        (await TwineAsync(node, wheel)).EnsureSuccess("twine upload after the killed one");

        var project = module.Replace('_', '-');
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{node.IndexUrl}{project}/");
        request.Headers.Accept.ParseAdd("application/vnd.pypi.simple.v1+json");
        using var response = await http.SendAsync(request);
        using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var listed = Assert.Single(page.RootElement.GetProperty("files").EnumerateArray());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(wheel))), listed.GetProperty("hashes").GetProperty("sha256").GetString());

        (await _python.InstallAsync(node.IndexUrl, "--force-reinstall", project)).EnsureSuccess($"pip install {project}");
        Assert.Equal("1.0", await _python.RunAsync($"import {module}; print({module}.VERSION)"));
    }

    private Dictionary<string, string?> NodeEnvironment(string name) => new()
    {
        ["Publishing__StagingDirectory"] = Directory.CreateDirectory(_root.Combine("staging-" + name)).FullName,
        ["Storage__RescanInterval"] = "00:00:00.200",
    };

    private Task<PypiLocalServer> StartNodeAsync(Dictionary<string, string?> environment, string? packages = null) =>
        PypiLocalServer.StartAsync(["serve", packages ?? _root.Combine("unused"), "-P", _root.Combine("htpasswd")], environment);

    private Task<ProcessResult> TwineAsync(PypiLocalServer node, string wheel) => Twine.UploadAsync(node.BaseUrl + "/legacy/", _root.Path, wheel);

    private static void KillHard(PypiLocalServer node)
    {
        using var process = Process.GetProcessById(node.ProcessId);
        process.Kill(); // SIGKILL: no shutdown, no finally blocks
        process.WaitForExit();
    }
}
