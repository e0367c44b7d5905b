using System.CommandLine;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Publishing;

namespace PypiLocal.Api.Commands;

/// <summary>
/// <c>pypilocal remove|yank|unyank PROJECT [VERSION] [--file F]</c>: the management actions, either through a
/// running server's HTTP API (<c>--url</c>; needed for an embedded server, whose in-process caches would not see a
/// change made behind its back) or directly on the configured storage (folders given with <c>--packages</c>, or
/// the configured bucket), through the same service the HTTP API uses.
/// </summary>
public static class PackageCommands
{
    /// <param name="services">Gives the storage's services when the command runs; by default the configured backends.</param>
    public static Command CreateRemove(Func<ParseResult, IServiceProvider>? services = null) =>
        Create("remove", "Delete a release (every file of VERSION) or one file (--file).", yank: null, services);

    public static Command CreateYank(Func<ParseResult, IServiceProvider>? services = null) =>
        Create("yank", "Yank a release or one file (PEP 592): pip skips it unless pinned with ==.", yank: true, services);

    public static Command CreateUnyank(Func<ParseResult, IServiceProvider>? services = null) =>
        Create("unyank", "Undo a yank.", yank: false, services);

    private static Command Create(string name, string description, bool? yank, Func<ParseResult, IServiceProvider>? services)
    {
        var project = new Argument<string>("project") { Description = "The project, any spelling." };
        var version = new Argument<string?>("version") { Description = "The release (PEP 440; 1.0 and 1.0.0 are one release).", Arity = ArgumentArity.ZeroOrOne };
        var file = new Option<string?>("--file") { Description = "One distribution filename instead of a whole release." };
        var packages = new Option<string[]>("--packages") { Description = "Folder of the embedded storage, as given to 'serve' (repeatable)." };
        var reason = new Option<string?>("--reason") { Description = "Why it is yanked (shown by pip)." };
        var url = new Option<string?>("--url") { Description = "A running server to ask (e.g. http://localhost:8080/) instead of changing the storage directly." };
        var user = new Option<string?>("--user", "-u") { Description = "Account for --url (default PYPILOCAL_USERNAME; __token__ for a token)." };
        var password = new Option<string?>("--password", "-p") { Description = "Password or token for --url (default PYPILOCAL_PASSWORD)." };

        var command = new Command(name, description) { project, version, file, packages, url, user, password };
        if (yank == true)
        {
            command.Options.Add(reason);
        }

        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            var filename = result.GetValue(file);
            var release = result.GetValue(version);
            if ((filename is null) == (release is null))
            {
                await error.WriteLineAsync($"Give either a VERSION or --file: pypilocal {name} PROJECT VERSION, or pypilocal {name} PROJECT --file FILENAME.");
                return 2;
            }

            if (result.GetValue(url) is { } server)
            {
                return await ManagementClient.RunAsync(
                    new Uri(server.EndsWith('/') ? server : server + "/"),
                    result.GetValue(user) ?? Environment.GetEnvironmentVariable("PYPILOCAL_USERNAME"),
                    result.GetValue(password) ?? Environment.GetEnvironmentVariable("PYPILOCAL_PASSWORD"),
                    ManagementClient.PathFor(result.GetValue(project)!, release, filename, yank),
                    yank is null ? HttpMethod.Delete : HttpMethod.Post,
                    result.GetValue(reason),
                    output,
                    error,
                    cancellationToken);
            }

            var provider = services?.Invoke(result) ?? CommandServices.Build(result, CommandSettings.Of(result.GetValue(packages)));
            var management = provider.GetRequiredService<PackageManagementService>();
            var cliUser = IndexUser.Operator;
            var subject = result.GetValue(project)!;
            var outcome = (yank, filename) switch
            {
                (null, not null) => await management.RemoveFileAsync(cliUser, subject, filename, cancellationToken),
                (null, null) => await management.RemoveReleaseAsync(cliUser, subject, release!, cancellationToken),
                ({ } y, not null) => await management.SetFileYankedAsync(cliUser, subject, filename, y, result.GetValue(reason), cancellationToken),
                ({ } y, null) => await management.SetReleaseYankedAsync(cliUser, subject, release!, y, result.GetValue(reason), cancellationToken),
            };
            await (outcome.Succeeded ? output : error).WriteLineAsync(outcome.Message);
            return outcome.Succeeded ? 0 : 1;
        });
        return command;
    }
}
