using System.CommandLine;

namespace PypiLocal.Api.Tests.Support;

/// <summary>Runs one <c>pypilocal</c> command in process, capturing what it writes.</summary>
internal static class CommandRunner
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(Command command, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var root = new RootCommand { command };
        var exitCode = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }
}
