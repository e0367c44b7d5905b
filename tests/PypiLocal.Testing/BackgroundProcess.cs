using System.Diagnostics;
using System.Text;

namespace PypiLocal.Testing;

/// <summary>
/// A server process a test starts (moto_server, redis-server, pypilocal): output drained into a log so it
/// never blocks, readiness polled with a deadline, and the whole process tree killed on dispose.
/// </summary>
public sealed class BackgroundProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private int _disposed;

    private BackgroundProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts a command; a missing command fails with how to install it, never a skip.</summary>
    public static BackgroundProcess Start(string command, IEnumerable<string> arguments, string install, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var start = ProcessRunner.StartInfo(ProcessRunner.Require(command, install), arguments, environment, workingDirectory);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {command}.");
        var background = new BackgroundProcess(process);
        process.OutputDataReceived += (_, e) => background.Append(e.Data);
        process.ErrorDataReceived += (_, e) => background.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return background;
    }

    /// <summary>
    /// Polls <paramref name="ready"/> until it is true, failing with the log if the process exits or time runs out
    /// (then the process is killed: a caller that gets no server cannot stop it).
    /// </summary>
    public async Task WaitUntilAsync(Func<Task<bool>> ready, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{what} exited with {_process.ExitCode} before it was ready:\n{Log}");
            }

            try
            {
                if (await ready())
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or System.Net.Sockets.SocketException)
            {
                // Not answering yet.
            }

            await Task.Delay(100);
        }

        // Never leave a server that did not become ready behind: nobody holds it to dispose of it.
        await DisposeAsync();
        throw new TimeoutException($"{what} was not ready within {timeout}:\n{Log}");
    }

    /// <summary>Sends SIGTERM and waits for the exit.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill!.WaitForExitAsync();
        }

        using var limit = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(limit.Token);
        return _process.ExitCode;
    }

    /// <summary>Kills the process tree (SIGKILL) if it still runs; a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
