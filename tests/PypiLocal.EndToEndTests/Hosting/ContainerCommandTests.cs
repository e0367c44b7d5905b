using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using PypiLocal.EndToEndTests.Pypiserver;
using PypiLocal.Testing;

namespace PypiLocal.EndToEndTests.Hosting;

/// <summary>
/// No Docker engine here, so the command line the image runs is run as the image would: the Dockerfile's ENTRYPOINT (the
/// built server, the native one when PYPILOCAL_SERVER_EXECUTABLE names it) and CMD (or pypiserver-style arguments after
/// the image name), its ENV, from its WORKDIR, with /data a temporary folder,
/// as PID 1 of a PID namespace of its own (<c>unshare</c>, root as in CI) and no init process. It must serve, and a
/// SIGTERM from outside (what <c>docker stop</c> sends) must stop it cleanly.
/// </summary>
public sealed partial class ContainerCommandTests
{
    private static readonly Image Dockerfile = Image.Read(Path.Combine(RepositoryLayout.Root, "Dockerfile"));

    [Fact]
    public void The_image_follows_pypiservers_conventions_and_runs_the_native_server_directly_as_a_non_root_user()
    {
        Assert.Equal("/data", Dockerfile.WorkingDirectory);
        Assert.Equal(["/app/pypilocal"], Dockerfile.Entrypoint);
        Assert.Equal("$APP_UID", Dockerfile.User);
        Assert.Contains("8080", Dockerfile.Exposed);
        Assert.Contains("/data/packages", Dockerfile.Volumes);
        Assert.Equal("8080", Dockerfile.Environment["ASPNETCORE_HTTP_PORTS"]);
        Assert.DoesNotContain(Dockerfile.Entrypoint, e => e.Contains("tini", StringComparison.Ordinal) || e.EndsWith("sh", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_default_command_serves_data_packages_as_pid_1_and_stops_cleanly_on_sigterm()
    {
        using var data = new TempFolder("pypilocal-image-data");
        DistributionBuilder.Wheel(data.Combine("packages"), "boxed", "1.0");

        await using var container = await StartAsync(data, Dockerfile.Command);
        using var http = new HttpClient();
        var page = await http.GetStringAsync(container.BaseUrl + "/simple/boxed/");

        Assert.Contains(DistributionBuilder.WheelFilename("boxed", "1.0"), page, StringComparison.Ordinal);
        Assert.Equal(0, await StopAsPidOneAsync(container));
        Assert.Equal(["boxed-1.0-py3-none-any.whl"], Directory.EnumerateFileSystemEntries(data.Combine("packages"), "*", SearchOption.AllDirectories).Select(Path.GetFileName));
    }

    [Fact]
    public async Task The_entrypoint_takes_pypiservers_run_with_paths_relative_to_data()
    {
        using var data = new TempFolder("pypilocal-image-data");
        DistributionBuilder.Wheel(data.Combine("packages"), "boxed", "1.0");
        File.Move(PypiserverCommand.WritePasswords(data.Path), data.Combine(".htpasswd"));

        // As pypiserver's README runs its image: docker run … pypiserver/pypiserver:latest run -P .htpasswd packages
        await using var container = await StartAsync(data, ["run", "-P", ".htpasswd", "-a", "update", "--disable-fallback", "packages"]);
        using var http = new HttpClient();
        using var upload = await http.PostAsync(container.BaseUrl + "/", new MultipartFormDataContent { { new StringContent("file_upload"), ":action" } });

        Assert.Contains("/simple/boxed/", await http.GetStringAsync(container.BaseUrl + "/simple/"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, upload.StatusCode);
        Assert.Equal(0, await StopAsPidOneAsync(container));
    }

    /// <summary>ENTRYPOINT + <paramref name="arguments"/> with the image's ENV, /data mapped to <paramref name="data"/>, as PID 1.</summary>
    private static Task<PypiLocalServer> StartAsync(TempFolder data, IReadOnlyList<string> arguments)
    {
        var port = FreePort.Next();
        string Map(string value) => value.Replace("/data", data.Path, StringComparison.Ordinal);
        var environment = Dockerfile.Environment.ToDictionary(e => e.Key, e => (string?)Map(e.Value));
        environment["ASPNETCORE_HTTP_PORTS"] = port.ToString(CultureInfo.InvariantCulture);
        Directory.CreateDirectory(data.Combine("packages"));
        Directory.CreateDirectory(data.Combine("state"));
        return PypiLocalServer.StartCommandAsync(
            arguments.Select(Map),
            port,
            environment,
            Map(Dockerfile.WorkingDirectory),
            ["unshare", "--pid", "--fork", "--mount-proc"]);
    }

    /// <summary>Sends SIGTERM from outside to the PID 1 of the namespace, as <c>docker stop</c> does, and returns its exit code.</summary>
    private static async Task<int> StopAsPidOneAsync(PypiLocalServer container)
    {
        var children = await File.ReadAllTextAsync($"/proc/{container.ProcessId}/task/{container.ProcessId}/children");
        var pid = int.Parse(children.Split(' ', StringSplitOptions.RemoveEmptyEntries).Single(), CultureInfo.InvariantCulture);
        var status = await File.ReadAllTextAsync($"/proc/{pid}/status");
        Assert.Matches(@"(?m)^NSpid:\s+\d+\s+1$", status);

        using var kill = Process.Start("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)]);
        await kill!.WaitForExitAsync();

        // unshare exits with its child's exit code once the child has gone.
        Assert.True(await Eventually.TrueAsync(() => container.HasExited, TimeSpan.FromSeconds(30)), $"PID 1 did not stop within 30 s of SIGTERM:\n{container.Log}");

        // 0, not 143: the host drained and stopped, rather than the runtime dying of the signal.
        return await container.StopAsync(TimeSpan.FromSeconds(5));
    }

    /// <summary>The final stage of a Dockerfile as far as running it goes.</summary>
    private sealed record Image(string WorkingDirectory, string User, IReadOnlyList<string> Entrypoint, IReadOnlyList<string> Command, IReadOnlyDictionary<string, string> Environment, IReadOnlyList<string> Exposed, IReadOnlyList<string> Volumes)
    {
        public static Image Read(string path)
        {
            var text = File.ReadAllText(path).Replace("\\\n", " ", StringComparison.Ordinal);
            var final = text[text.LastIndexOf("\nFROM ", StringComparison.Ordinal)..];
            var lines = final.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
            string Last(string instruction) => lines.Last(l => l.StartsWith(instruction + " ", StringComparison.Ordinal))[(instruction.Length + 1)..].Trim();
            IEnumerable<string> All(string instruction) => lines.Where(l => l.StartsWith(instruction + " ", StringComparison.Ordinal)).Select(l => l[(instruction.Length + 1)..].Trim());
            var environment = All("ENV").SelectMany(l => Assignment().Matches(l)).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
            return new Image(
                Last("WORKDIR"),
                Last("USER"),
                JsonSerializer.Deserialize<string[]>(Last("ENTRYPOINT"))!,
                JsonSerializer.Deserialize<string[]>(Last("CMD"))!,
                environment,
                All("EXPOSE").SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList(),
                All("VOLUME").SelectMany(l => JsonSerializer.Deserialize<string[]>(l)!).ToList());
        }
    }

    [GeneratedRegex(@"(\w+)=(\S+)")]
    private static partial Regex Assignment();
}
