using System.CommandLine;
using PypiLocal.Core.Upstream;
using PypiLocal.Protocol.Names;
using PypiLocal.Protocol.Requirements;
using PypiLocal.Protocol.Simple;

namespace PypiLocal.Api.Commands;

/// <summary>
/// <c>pypilocal cache list|purge|prefetch</c>: the upstream cache, on the configured storage (the bucket, or the
/// embedded cache directory of the folders given with <c>--packages</c>). <c>purge --url</c> goes through a running
/// server instead, so that its in-process caches drop the project too.
/// </summary>
internal static class CacheCommands
{
    /// <param name="services">Gives the configured services with the command's settings added; by default the configured backends.</param>
    public static Command Create(Func<ParseResult, IDictionary<string, string?>, IServiceProvider>? services = null)
    {
        var build = services ?? ((result, overrides) => CommandServices.Build(result, overrides));
        var command = new Command("cache", "The upstream cache: list what is kept, purge it, prefetch for an air-gapped site.")
        {
            List(build),
            Purge(build),
            Prefetch(build),
        };
        return command;
    }

    private static Option<string[]> PackagesOption() =>
        new("--packages") { Description = "Folder of the embedded storage, as given to 'serve' (repeatable); its cache directory is used." };

    private static Command List(Func<ParseResult, IDictionary<string, string?>, IServiceProvider> build)
    {
        var project = new Argument<string?>("project") { Description = "Show one project's files.", Arity = ArgumentArity.ZeroOrOne };
        var packages = PackagesOption();
        var command = new Command("list", "List the upstream projects kept in the cache, or one project's files.") { project, packages };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var cache = Services(build, result, packages, null).GetRequiredService<UpstreamCache>();
            if (result.GetValue(project) is { } name)
            {
                return await ListFilesAsync(cache, ProjectName.Normalize(name), output, result.InvocationConfiguration.Error, cancellationToken);
            }

            var projects = await cache.ListAsync(cancellationToken);
            await output.WriteLineAsync($"Upstream cache in {cache.Location}:");
            foreach (var p in projects)
            {
                await output.WriteLineAsync($"  {p.Project,-32} {p.Index ?? "?",-16} page {(p.FetchedAt is { } at ? UploadTimeFormat.Format(at)[..19] + "Z" : "?")}  {p.Cached}/{p.Listed} files cached  {ProgressLine.Bytes(p.Bytes)}");
            }

            await output.WriteLineAsync($"{projects.Count} projects, {projects.Sum(p => p.Cached)} files cached ({ProgressLine.Bytes(projects.Sum(p => p.Bytes))}).");
            return 0;
        });
        return command;
    }

    private static async Task<int> ListFilesAsync(UpstreamCache cache, string project, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (await cache.DescribeAsync(project, cancellationToken) is not { } files)
        {
            await error.WriteLineAsync($"Nothing of {project} is in the upstream cache.");
            return 1;
        }

        foreach (var file in files.OrderBy(f => f.File.Filename, StringComparer.Ordinal))
        {
            var notes = new List<string> { file.Cached ? $"cached {ProgressLine.Bytes(file.Bytes ?? 0)}" : "not cached" };
            notes.Add(file.File.UploadTime is { } uploaded ? $"uploaded {UploadTimeFormat.Format(uploaded)}" : "upload time unknown");
            if (file.File.Yanked)
            {
                notes.Add($"yanked{(file.File.YankedReason is { } reason ? ": " + reason : "")}");
            }

            if (file.File.RemovedAt is not null)
            {
                notes.Add("removed upstream");
            }

            await output.WriteLineAsync($"  {file.File.Filename}  {string.Join(", ", notes)}");
        }

        await output.WriteLineAsync($"{project}: {files.Count(f => f.Cached)} of {files.Count} files cached.");
        return 0;
    }

    private static Command Purge(Func<ParseResult, IDictionary<string, string?>, IServiceProvider> build)
    {
        var project = new Argument<string>("project") { Description = "The project, any spelling." };
        var file = new Argument<string?>("file") { Description = "One filename instead of the whole project.", Arity = ArgumentArity.ZeroOrOne };
        var packages = PackagesOption();
        var url = new Option<string?>("--url") { Description = "A running server to ask (e.g. http://localhost:8080/): needed for an embedded server, whose caches are in its memory." };
        var user = new Option<string?>("--user", "-u") { Description = "Account for --url (default PYPILOCAL_USERNAME)." };
        var password = new Option<string?>("--password", "-p") { Description = "Password or token for --url (default PYPILOCAL_PASSWORD)." };
        var command = new Command("purge", "Remove a cached upstream project (page and files) or one file, everywhere at once.") { project, file, packages, url, user, password };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            var name = result.GetValue(project)!;
            if (!ProjectName.IsValid(name))
            {
                await error.WriteLineAsync($"'{name}' is not a valid project name.");
                return 2;
            }

            var normalized = ProjectName.Normalize(name);
            var filename = result.GetValue(file);
            if (result.GetValue(url) is { } server)
            {
                var path = $"api/upstream-cache/{Uri.EscapeDataString(normalized)}" + (filename is null ? "" : $"/files/{Uri.EscapeDataString(filename)}");
                return await ManagementClient.RunAsync(
                    new Uri(server.EndsWith('/') ? server : server + "/"),
                    result.GetValue(user) ?? Environment.GetEnvironmentVariable("PYPILOCAL_USERNAME"),
                    result.GetValue(password) ?? Environment.GetEnvironmentVariable("PYPILOCAL_PASSWORD"),
                    path, HttpMethod.Delete, null, output, error, cancellationToken);
            }

            var cache = Services(build, result, packages, null).GetRequiredService<UpstreamCache>();
            var removed = await cache.PurgeAsync(normalized, filename, cancellationToken);
            var what = filename is null ? normalized : $"{filename} of {normalized}";
            if (removed == 0)
            {
                await error.WriteLineAsync($"Nothing of {what} is in the upstream cache.");
                return 1;
            }

            await output.WriteLineAsync($"Purged {what} from the upstream cache ({removed} objects).");
            return 0;
        });
        return command;
    }

    private static Command Prefetch(Func<ParseResult, IDictionary<string, string?>, IServiceProvider> build)
    {
        var requirements = new Argument<string[]>("requirements") { Description = "Requirements such as 'requests>=2' (besides -r files).", Arity = ArgumentArity.ZeroOrMore };
        var files = new Option<string[]>("--requirement", "-r") { Description = "A requirements file (repeatable), as pip reads it." };
        var noDeps = new Option<bool>("--no-deps") { Description = "Only the named requirements, not their dependencies." };
        var upstream = new Option<string[]>("--upstream") { Description = "Upstream index to use (repeatable) instead of Upstream:Indexes." };
        var packages = PackagesOption();
        var command = new Command("prefetch", "Fetch releases (every file, every platform) and their dependencies into the upstream cache, for an air-gapped site.")
        {
            requirements, files, noDeps, upstream, packages,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            var wanted = new List<Requirement>();
            foreach (var text in result.GetValue(requirements) ?? [])
            {
                if (!Requirement.TryParse(text, out var requirement) || requirement.Url is not null)
                {
                    await error.WriteLineAsync($"'{text}' is not a requirement this command can fetch (name and version specifier).");
                    return 2;
                }

                wanted.Add(requirement);
            }

            foreach (var path in result.GetValue(files) ?? [])
            {
                if (!File.Exists(path))
                {
                    await error.WriteLineAsync($"There is no requirements file '{path}'.");
                    return 2;
                }

                var read = RequirementsFile.Read(path);
                wanted.AddRange(read.Requirements);
                foreach (var line in read.Unsupported)
                {
                    await error.WriteLineAsync($"skipped {line}");
                }
            }

            var provider = Services(build, result, packages, result.GetValue(upstream));
            if (!provider.GetRequiredService<UpstreamProjects>().Enabled)
            {
                await error.WriteLineAsync("No upstream index is configured: give --upstream URL or set Upstream:Indexes:0:Url.");
                return 2;
            }

            var progress = new ProgressLine(output);
            var summary = await provider.GetRequiredService<UpstreamPrefetch>().RunAsync(
                wanted, !result.GetValue(noDeps), p => progress.Show(p.Done, p.Total, p.Item), cancellationToken);
            progress.Clear();
            foreach (var problem in summary.Problems)
            {
                await error.WriteLineAsync(problem);
            }

            await output.WriteLineAsync($"{summary.Releases} releases: {summary.Fetched} files fetched, {summary.AlreadyCached} already cached, {summary.Failed} failed, {summary.Problems.Count - summary.Failed} requirements unresolved.");
            return summary.Problems.Count == 0 ? 0 : 1;
        });
        return command;
    }

    /// <summary>The services, with <c>--packages</c> folders and <c>--upstream</c> indexes as configuration.</summary>
    internal static IServiceProvider Services(Func<ParseResult, IDictionary<string, string?>, IServiceProvider> build, ParseResult result, Option<string[]> packages, string[]? upstreams)
    {
        return build(result, CommandSettings.Of(result.GetValue(packages), upstreams));
    }
}
