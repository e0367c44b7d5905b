using System.Diagnostics;

namespace PypiLocal.AppHost.Resources;

/// <summary>
/// Whether a container engine answers here. Without one, Aspire's containers never start ("Runtime unhealthy")
/// and whatever waits for them waits forever, so the app model runs local processes instead.
/// </summary>
internal static class ContainerRuntime
{
    public static bool Answers() => Answers("docker") || Answers("podman");

    private static bool Answers(string engine)
    {
        try
        {
            using var info = Process.Start(new ProcessStartInfo(engine, "info")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (info is null)
            {
                return false;
            }

            _ = info.StandardOutput.ReadToEndAsync();
            _ = info.StandardError.ReadToEndAsync();
            if (!info.WaitForExit(TimeSpan.FromSeconds(15)))
            {
                info.Kill(entireProcessTree: true);
                return false;
            }

            return info.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // not installed
        }
    }
}
