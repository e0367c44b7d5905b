using System.Diagnostics;

namespace PypiLocal.AppHost.Tests;

/// <summary>Finds real tools on PATH and runs them with a timeout.</summary>
internal static class RequiredTool
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string? Find(string name) => Orchestration.BackingServiceResolver.FindOnPath(name);

    /// <summary>The tool's path; throws when it is missing (tests here need real servers, in CI and locally).</summary>
    public static string Require(string name) =>
        Find(name) ?? throw new InvalidOperationException(
            $"{name} is not on PATH{(IsCi ? " (CI must install it)" : "")}: install it (see environment.md).");

    public static (int ExitCode, string Output, string Error) Run(string file, IEnumerable<string> args, TimeSpan timeout, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', info.ArgumentList)} did not finish in {timeout}.");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}
