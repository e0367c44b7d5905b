using System.Diagnostics;

namespace PypiLocal.AppHost.Orchestration;

/// <summary>Finds a working container runtime: docker or podman whose "info" succeeds (a CLI without an engine does not count).</summary>
internal static class ContainerRuntime
{
    public static string? Detect()
    {
        foreach (var name in new[] { "docker", "podman" })
        {
            if (BackingServiceResolver.FindOnPath(name) is { } path && InfoSucceeds(path))
            {
                return path;
            }
        }
        return null;
    }

    private static bool InfoSucceeds(string path)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(path, "info")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
