using System.CommandLine;
using PypiLocal.Core.Maintenance;

namespace PypiLocal.Api.Commands;

/// <summary><c>pypilocal reindex</c>: brings the bucket's index in line with the objects under files/.</summary>
internal static class ReindexCommand
{
    /// <param name="services">Gives the configured services when the command runs (they are built only then).</param>
    public static Command Create(Func<ParseResult, IServiceProvider> services)
    {
        var command = new Command("reindex", "Index files copied into the bucket by other tools and drop entries whose file is gone. Safe to run again.");
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var reindex = services(parseResult).GetService<ReindexService>();
            if (reindex is null)
            {
                await error.WriteLineAsync("reindex works on bucket storage only: set ConnectionStrings:storage (a folder is indexed on its own).");
                return 2;
            }

            var interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
            var summary = await reindex.ReindexAsync(line => { if (interactive) output.WriteLine(line); }, cancellationToken);
            foreach (var failure in summary.Failures)
            {
                await error.WriteLineAsync($"skipped {failure}");
            }

            await output.WriteLineAsync($"{summary.Projects} projects checked: {summary.Added} entries added, {summary.Removed} dropped, {summary.Failed} files not indexable.");
            return summary.Failed == 0 ? 0 : 1;
        });
        return command;
    }
}
