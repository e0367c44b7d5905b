using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using PypiLocal.AppHost.Orchestration;

namespace PypiLocal.AppHost.Tests;

/// <summary>The real AppHost as a separate process (dotnet PypiLocal.AppHost.dll), with its output collected line by line.</summary>
internal sealed class AppHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly SemaphoreSlim _newLine = new(0);

    private AppHostProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output => string.Join('\n', _lines);

    public static AppHostProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "PypiLocal.AppHost.dll");
        var info = new ProcessStartInfo(Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        // Whatever the test runner was given must not leak into the app model.
        info.Environment.Remove("ConnectionStrings__cache");
        info.Environment.Remove("ConnectionStrings__storage");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        var process = new Process { StartInfo = info };
        var host = new AppHostProcess(process);
        process.OutputDataReceived += (_, e) => host.Add(e.Data);
        process.ErrorDataReceived += (_, e) => host.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Waits for a line matching <paramref name="pattern"/> and returns its match.</summary>
    public async Task<Match> WaitForLineAsync(string pattern, TimeSpan timeout, int skip = 0)
    {
        var regex = new Regex(pattern, RegexOptions.Multiline);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var matches = _lines.Select(l => regex.Match(l)).Where(m => m.Success).ToList();
            if (matches.Count > skip)
            {
                return matches[skip];
            }
            if (DateTime.UtcNow > deadline || _process.HasExited)
            {
                throw new TimeoutException($"No line matched /{pattern}/ (exited: {_process.HasExited}). Output:\n{Output}");
            }
            await _newLine.WaitAsync(TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Every process below the AppHost right now.</summary>
    public List<int> Descendants() => ProcessTree.Descendants(_process.Id);

    public void Signal(int signal) => ProcessTree.Signal(_process.Id, signal);

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            var tree = Descendants();
            _process.Kill(entireProcessTree: true);
            await WaitForExitAsync(TimeSpan.FromSeconds(10));
            tree.Where(ProcessTree.IsAlive).ToList().ForEach(pid => ProcessTree.Signal(pid, ProcessTree.SigKill));
        }
        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
            _newLine.Release();
        }
    }
}
