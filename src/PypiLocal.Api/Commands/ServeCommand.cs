using System.CommandLine;
using PypiLocal.Api.Hosting;

namespace PypiLocal.Api.Commands;

/// <summary><c>pypilocal serve [folders…]</c>: pypiserver's <c>pypi-server run</c>, with its main flags.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var folders = new Argument<string[]>("folders")
        {
            Arity = ArgumentArity.ZeroOrMore,
            Description = "Folders of wheels and sdists to serve, flat or nested (default ./packages). Uploads go to the first.",
        };
        var port = new Option<int?>("--port", "-p") { Description = $"Port to listen on (default {ServeSettings.DefaultPort}, or ASPNETCORE_URLS)." };
        var host = new Option<string?>("--host", "-i") { Description = "Address to listen on (default 0.0.0.0, all interfaces)." };
        var passwords = new Option<string?>("--passwords", "-P") { Description = "htpasswd file for uploads ('.' for none), as pypiserver." };
        var authenticate = new Option<string?>("--authenticate", "-a") { Description = "Actions needing a login: comma list of update, download, list; '.' for none (default update)." };
        var overwrite = new Option<bool>("--overwrite") { Description = "Let an upload replace a file of the same name." };
        var upstream = new Option<string[]>("--upstream") { Description = "A Simple API index (e.g. https://pypi.org/simple/) asked, in order, for projects not served here; repeatable." };
        var stateDirectory = StateDirectoryOption();

        var command = new Command("serve", "Serve folders of distributions (the embedded default), or the configured storage.")
        {
            folders, port, host, passwords, authenticate, overwrite, upstream, stateDirectory,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((result, cancellationToken) =>
        {
            // The folders argument also swallows host configuration such as --urls=… or
            // --ConnectionStrings:cache=…: anything that looks like an option is configuration, not a folder.
            var (configuration, paths) = (result.GetValue(folders) ?? []).Aggregate(
                (Configuration: new List<string>(result.UnmatchedTokens), Folders: new List<string>()),
                (split, token) =>
                {
                    (token.StartsWith('-') ? split.Configuration : split.Folders).Add(token);
                    return split;
                });
            var more = CommandSettings.Of(null, result.GetValue(upstream));
            more["Storage:StateDirectory"] = result.GetValue(stateDirectory);
            return RunAsync(
                new ServeSettings(paths, result.GetValue(port), result.GetValue(host), result.GetValue(passwords), result.GetValue(authenticate), result.GetValue(overwrite), more),
                configuration.ToArray(),
                cancellationToken);
        });
        return command;
    }

    /// <summary><c>--state-dir</c>, shared by <c>serve</c> and <c>run</c>.</summary>
    public static Option<string?> StateDirectoryOption() => new("--state-dir")
    {
        Description = "Where the facts about the files (hashes, upload times, yanks) are kept, outside the package folders (default: under the user's data directory, one per folder set).",
    };

    public static async Task<int> RunAsync(ServeSettings settings, string[] hostArgs, CancellationToken cancellationToken)
    {
        var app = PypiLocalApplication.Build(hostArgs, settings);
        await app.RunAsync(cancellationToken);
        return 0;
    }
}
