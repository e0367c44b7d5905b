using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace PypiLocal.Testing;

/// <summary>The result of a finished process.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string Output => StandardOutput + StandardError;

    public ProcessResult EnsureSuccess(string what) =>
        ExitCode == 0 ? this : throw new InvalidOperationException($"{what} failed with exit code {ExitCode}:\n{Output}");
}

/// <summary>Runs a command to completion with a time limit, capturing its output; its standard input is <c>standardInput</c>, or empty.</summary>
public static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null,
        string? workingDirectory = null,
        string? standardInput = null)
    {
        var start = StartInfo(fileName, arguments, environment, workingDirectory);
        start.RedirectStandardInput = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
        }

        process.StandardInput.Close();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var readOut = PumpAsync(process.StandardOutput, stdout);
        var readErr = PumpAsync(process.StandardError, stderr);
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} did not finish in time:\n{stdout}{stderr}");
        }

        await Task.WhenAll(readOut, readErr);
        return new ProcessResult(process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>How every test starts a process: output redirected, arguments and environment as given.</summary>
    public static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment, string? workingDirectory)
    {
        var start = new ProcessStartInfo(Path.IsPathRooted(fileName) ? fileName : Which(fileName) ?? fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            // A null value takes the variable away from the child, rather than passing it on empty.
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        return start;
    }

    /// <summary>The full path of a command on PATH, or null; a pyenv shim is replaced by the program it runs.</summary>
    public static string? Which(string command)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, command))
            .FirstOrDefault(File.Exists);
        return found is not null && Path.GetFileName(Path.GetDirectoryName(found)) == "shims" && found.Contains("pyenv", StringComparison.Ordinal)
            ? ShimTargets.GetOrAdd(command, ShimTarget, found)
            : found;
    }

    // A pyenv shim runs a dozen bash processes before the program (about 0.6 s of CPU; python3 starts in 0.1 s), and the
    // tests start python3 (moto, http.server, venv) a hundred times: ask pyenv once where each shim leads.
    private static readonly ConcurrentDictionary<string, string> ShimTargets = new(StringComparer.Ordinal);

    private static string ShimTarget(string command, string shim)
    {
        var pyenv = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(shim))!, "bin", "pyenv");
        if (!File.Exists(pyenv))
        {
            return shim;
        }

        using var process = Process.Start(new ProcessStartInfo(pyenv, ["which", command]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        var target = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return process.ExitCode == 0 && File.Exists(target) ? target : shim;
    }

    /// <summary>A command the test needs: its path, or a failure that says how to install it (never a skip).</summary>
    public static string Require(string command, string install) =>
        Which(command) ?? throw new InvalidOperationException($"'{command}' is not installed; this test needs it. Install it with: {install}");

    private static async Task PumpAsync(StreamReader reader, StringBuilder into)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (into)
            {
                into.Append(buffer, 0, read);
            }
        }
    }
}
