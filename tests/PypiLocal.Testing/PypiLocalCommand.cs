namespace PypiLocal.Testing;

/// <summary>The <c>pypilocal</c> command line, run to its end as a user runs it (<see cref="RepositoryLayout.ServerCommand"/>).</summary>
public static class PypiLocalCommand
{
    public static Task<ProcessResult> RunAsync(
        IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null, string? standardInput = null)
    {
        var command = RepositoryLayout.ServerCommand;
        return ProcessRunner.RunAsync(command[0], [.. command.Skip(1), .. arguments], environment, timeout, standardInput: standardInput);
    }
}
