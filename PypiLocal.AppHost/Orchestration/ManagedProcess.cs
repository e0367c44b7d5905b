using System.Diagnostics;

namespace PypiLocal.AppHost.Orchestration;

/// <summary>One child process: prefixed output, exit notification, and a stop that leaves nothing behind.</summary>
internal sealed class ManagedProcess(string name, LaunchSpec spec, ConsoleOutput output)
{
    private Process? _process;
    private TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name { get; } = name;

    public int? ProcessId => _process?.Id;

    /// <summary>Completes with the exit code when the current run ends.</summary>
    public Task<int> Exited => _exited.Task;

    public void Start()
    {
        var startInfo = new ProcessStartInfo(spec.Command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = spec.StandardInput is not null,
            UseShellExecute = false,
            WorkingDirectory = spec.WorkingDirectory ?? Environment.CurrentDirectory,
        };
        spec.Args.ToList().ForEach(startInfo.ArgumentList.Add);
        foreach (var (key, value) in spec.Environment)
        {
            startInfo.Environment[key] = value;
        }
        var exited = _exited = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Write(Name, e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Write(Name, e.Data); };
        process.Exited += (_, _) =>
        {
            // Let the output readers drain before reporting the exit.
            process.WaitForExit();
            exited.TrySetResult(process.ExitCode);
        };
        process.Start();
        _process = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (spec.StandardInput is not null)
        {
            process.StandardInput.Write(spec.StandardInput);
            process.StandardInput.Close();
        }
    }

    /// <summary>SIGTERM, wait up to <paramref name="grace"/>, then SIGKILL the whole tree, including orphaned grandchildren.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process is not { } process || _exited.Task.IsCompleted)
        {
            return;
        }
        var pid = process.Id;
        var tree = ProcessTree.Descendants(pid);
        ProcessTree.Signal(pid, ProcessTree.SigTerm);
        await Task.WhenAny(_exited.Task, Task.Delay(grace)).ConfigureAwait(false);
        if (!_exited.Task.IsCompleted)
        {
            output.Info($"{Name} did not stop within {grace.TotalSeconds:0} s; killing it");
            tree.AddRange(ProcessTree.Descendants(pid));
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            await Task.WhenAny(_exited.Task, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        }
        foreach (var descendant in tree.Where(ProcessTree.IsAlive))
        {
            ProcessTree.Signal(descendant, ProcessTree.SigKill);
        }
    }
}
