using System.Globalization;
using PypiLocal.EndToEndTests.Storage;
using PypiLocal.EndToEndTests.Support;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Publishing;

/// <summary>
/// A full disk under an embedded node: its staging directory, package folder and state directory are each a real 8 MiB
/// tmpfs, mounted in a mount namespace of the server's own (<c>unshare</c>, root as in CI), which the test fills with a
/// ballast file (reached through <c>/proc/PID/root</c>). An upload that does not fit is refused with 507 and a reason
/// twine prints, never a 500; it leaves nothing half-written; and once the ballast is gone the retry succeeds.
/// </summary>
public sealed class FullDiskTests : IAsyncLifetime
{
    private const string TmpfsSize = "8m";

    private readonly TempFolder _root = new("pypilocal-full-disk");
    private PypiLocalServer _server = null!;

    private string Staging => _root.Combine("staging");

    private string Packages => _root.Combine("packages");

    private string State => _root.Combine("state");

    public async Task InitializeAsync()
    {
        await Twine.WritePasswordsAsync(_root.Combine("htpasswd"));
        foreach (var directory in new[] { Staging, Packages, State })
        {
            Directory.CreateDirectory(directory);
        }

        // The mounts live and die with the server's namespace: nothing to unmount, whatever happens to the test.
        string[] tmpfsMounts =
        [
            "unshare", "--mount", "sh", "-c",
            $"for d in \"$0\" \"$1\" \"$2\"; do mount -t tmpfs -o size={TmpfsSize} tmpfs \"$d\" || exit 1; done; shift 2; exec \"$@\"",
            Staging, Packages, State,
        ];
        var port = FreePort.Next();
        _server = await PypiLocalServer.StartCommandAsync(
            ["serve", Packages, "-P", _root.Combine("htpasswd"), "--port", port.ToString(CultureInfo.InvariantCulture), "--host", "127.0.0.1"],
            port,
            new Dictionary<string, string?>
            {
                ["Publishing__StagingDirectory"] = Staging,
                ["Storage__StateDirectory"] = State,
                ["Storage__RescanInterval"] = "00:00:00.200",
            },
            launcher: tmpfsMounts);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _root.Dispose();
    }

    [Theory]
    [InlineData("staging")]
    [InlineData("packages")]
    [InlineData("state")]
    public async Task An_upload_that_does_not_fit_is_refused_with_507_leaves_nothing_and_succeeds_once_space_is_freed(string full)
    {
        var project = $"full-{full}";
        var wheel = DistributionBuilder.Wheel(_root.Combine("dist-" + full), project, "1.0", paddingBytes: 2 * 1024 * 1024);
        var ballast = Fill(Inside(full switch { "staging" => Staging, "packages" => Packages, _ => State }));

        var refused = await TwineAsync(wheel);

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("507", refused.Output, StringComparison.Ordinal);
        Assert.Contains("no space left", refused.Output, StringComparison.Ordinal);
        Assert.Empty(Leftovers());
        Assert.False(File.Exists(Path.Combine(Inside(Packages), Path.GetFileName(wheel))), "a refused upload must not be published");

        File.Delete(ballast);
        (await TwineAsync(wheel)).EnsureSuccess($"twine retrying once the {full} tmpfs has room");

        await KeptUploads.AssertKeptAsync([_server], project, [wheel], $"full {full} tmpfs");
        Assert.Empty(Leftovers());
        Assert.DoesNotContain("   at ", _server.Log, StringComparison.Ordinal);
    }

    /// <summary>A path as the server sees it, inside its mount namespace.</summary>
    private string Inside(string path) => $"/proc/{_server.ProcessId}/root{path}";

    /// <summary>Writes a hidden file into the tmpfs until it is full (hidden, so the folder scan ignores it).</summary>
    private static string Fill(string directory)
    {
        var path = Path.Combine(directory, ".ballast");
        var chunk = new byte[64 * 1024];
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0);
        try
        {
            while (true)
            {
                file.Write(chunk);
            }
        }
        catch (IOException)
        {
            // No space left on the device: full.
        }

        return path;
    }

    /// <summary>Everything a refused upload could leave: staged files, partial copies, temporary records, or the file itself unlisted.</summary>
    private IEnumerable<string> Leftovers() =>
        new[] { Staging, Packages, State }
            .SelectMany(d => Directory.EnumerateFiles(Inside(d), "*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".upload", StringComparison.Ordinal) || f.EndsWith(".partial", StringComparison.Ordinal) || f.EndsWith(".tmp", StringComparison.Ordinal));

    private Task<ProcessResult> TwineAsync(string wheel) => Twine.UploadAsync(_server.BaseUrl + "/legacy/", _root.Path, wheel);
}
