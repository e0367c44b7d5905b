using System.CommandLine;
using PypiLocal.Core.Maintenance;

namespace PypiLocal.Api.Commands;

/// <summary><c>pypilocal import &lt;folder&gt;</c>: loads a folder of distributions into the configured storage.</summary>
internal static class ImportCommand
{
    /// <param name="services">Gives the configured services when the command runs (they are built only then).</param>
    public static Command Create(Func<ParseResult, IServiceProvider> services)
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = "A folder of wheels and sdists, searched recursively (e.g. the output of pip wheel -w)." };
        var command = new Command("import", "Load a folder of distributions into the configured storage; files already there are skipped.") { folder };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var directory = parseResult.GetValue(folder)!;
            if (!directory.Exists)
            {
                await error.WriteLineAsync($"There is no folder '{directory.FullName}'.");
                return 2;
            }

            var import = services(parseResult).GetRequiredService<ImportService>();
            // A progress line that rewrites itself, only on a terminal.
            var interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
            var summary = await import.ImportAsync(
                directory.FullName,
                p =>
                {
                    if (p.Outcome is ImportItemOutcome.Failed or ImportItemOutcome.Conflict)
                    {
                        error.WriteLine($"{(interactive ? "\r\x1b[K" : "")}{p.Outcome.ToString().ToLowerInvariant()}: {Path.GetRelativePath(directory.FullName, p.Path)}: {p.Error}");
                    }
                    else if (interactive)
                    {
                        output.Write($"\r\x1b[K[{p.Done}/{p.Total}] {p.Outcome.ToString().ToLowerInvariant()} {Path.GetFileName(p.Path)}");
                    }
                },
                cancellationToken);
            if (interactive)
            {
                await output.WriteLineAsync();
            }

            await output.WriteLineAsync($"{summary.Added} added, {summary.Skipped} already there, {summary.Conflicts} conflicts, {summary.Failed} failed, {summary.Ignored} other files ignored.");
            return summary.Failed + summary.Conflicts == 0 ? 0 : 1;
        });
        return command;
    }
}
