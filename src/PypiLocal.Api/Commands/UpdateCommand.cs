using System.CommandLine;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Folder;
using PypiLocal.Core.Upstream;

namespace PypiLocal.Api.Commands;

/// <summary>
/// <c>pypilocal update [FOLDERS…]</c>: pypiserver's <c>update</c>. Lists the projects in the package folders that an
/// upstream has a newer release of, with the pip command that fetches it; <c>-x</c> downloads the files itself
/// (checked against the upstream's sha256): the same kinds of files the folder has for the release it replaces.
/// </summary>
internal static class UpdateCommand
{
    public const string DefaultIndex = "https://pypi.org/simple/";

    /// <param name="services">Gives the configured services with the command's settings added; by default the configured backends.</param>
    public static Command Create(Func<ParseResult, IDictionary<string, string?>, IServiceProvider>? services = null)
    {
        var build = services ?? ((result, overrides) => CommandServices.Build(result, overrides));
        var folders = new Argument<string[]>("folders") { Description = "Package folders to check (default: the configured ones, else ./packages).", Arity = ArgumentArity.ZeroOrMore };
        var execute = new Option<bool>("--execute", "-x") { Description = "Download the newer files instead of printing the commands." };
        var directory = new Option<string?>("--download-directory", "-d") { Description = "Where to put them (default: beside the file they replace)." };
        var unstable = new Option<bool>("--allow-unstable", "-u") { Description = "Consider pre-releases too." };
        var ignore = new Option<string?>("--ignorelist-file", "--blacklist-file") { Description = "A file of project names (one a line) never to update." };
        var index = new Option<string[]>("--index-url", "-i") { Description = $"Upstream index to check (repeatable; default Upstream:Indexes, else {DefaultIndex})." };
        var command = new Command("update", "List (or with -x download) newer upstream releases of the projects in the package folders, as pypiserver's update.")
        {
            folders, execute, directory, unstable, ignore, index,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            var provider = build(result, CommandSettings.Of(result.GetValue(folders), result.GetValue(index)));
            var indexes = provider.GetRequiredService<UpstreamProjects>().Indexes;
            if (indexes.Count == 0)
            {
                indexes = UpstreamIndex.From(new UpstreamOptions { Indexes = [new UpstreamIndexOptions { Url = new Uri(DefaultIndex) }] });
            }

            var ignored = result.GetValue(ignore) is { } ignoreFile
                ? (await File.ReadAllLinesAsync(ignoreFile, cancellationToken)).Select(l => l.Split('#')[0].Trim()).Where(l => l.Length > 0).Select(Protocol.Names.ProjectName.Normalize).ToHashSet(StringComparer.Ordinal)
                : [];
            var roots = provider.GetRequiredService<IOptions<FolderStorageOptions>>().Value.ResolvedFolders();
            var local = UpdateFinder.ScanLatest(roots).Where(r => !ignored.Contains(r.Project)).ToList();
            var finder = provider.GetRequiredService<UpdateFinder>();

            await output.WriteLineAsync($"checking {local.Count} packages for newer version\n");
            var updates = new List<AvailableUpdate>();
            var notFound = new List<string>();
            foreach (var release in local)
            {
                var (update, found, failure) = await finder.FindAsync(release, indexes, result.GetValue(unstable), cancellationToken);
                if (failure is not null)
                {
                    await error.WriteLineAsync($"\n{failure}");
                }

                if (update is not null)
                {
                    updates.Add(update);
                }
                else if (!found && failure is null)
                {
                    notFound.Add(release.Project);
                }

                await output.WriteAsync(update is not null ? "u" : found ? "." : "e");
            }

            await output.WriteLineAsync("\n");
            if (notFound.Count > 0)
            {
                await output.WriteLineAsync($"no releases found on upstream for {string.Join(", ", notFound)}\n");
            }

            var failures = 0;
            foreach (var update in updates)
            {
                var target = result.GetValue(directory) ?? Path.GetDirectoryName(update.Local.Files[0].Path)!;
                await output.WriteLineAsync($"# update {update.Local.Project} from {update.Local.Version} to {update.Version}");
                if (!result.GetValue(execute))
                {
                    await output.WriteLineAsync($"pip -q download --no-deps -i {update.Index.Url} -d {target} {update.Local.Project}=={update.Version}\n");
                    continue;
                }

                foreach (var file in UpdateFinder.SameFlavour(update))
                {
                    var outcome = await finder.DownloadAsync(update.Index, file, target, cancellationToken);
                    await (outcome.Kept ? output : error).WriteLineAsync(outcome.Kept ? $"downloaded {Path.Combine(target, file.Filename)}" : outcome.Failure);
                    failures += outcome.Kept ? 0 : 1;
                }

                await output.WriteLineAsync();
            }

            return failures == 0 ? 0 : 1;
        });
        return command;
    }
}
