using System.CommandLine;

namespace PypiLocal.Api.Commands;

/// <summary>The <c>pypilocal</c> command line: <c>serve</c> (also the default), pypiserver's <c>run</c>, and the maintenance commands.</summary>
internal static class PypiLocalCommandLine
{
    /// <summary>Parses <paramref name="args"/>, taking pypiserver's forms (options before <c>run</c>, no command at all) as <c>run</c>.</summary>
    public static ParseResult Parse(string[] args)
    {
        var root = Create();
        var commands = root.Subcommands.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        return root.Parse(PypiserverArguments.Normalize(args, commands, Console.Error));
    }

    public static RootCommand Create()
    {
        var serve = ServeCommand.Create();
        var root = new RootCommand("PypiLocal: a private Python package index. Run with no command to serve the configured storage.")
        {
            serve,
            RunCommand.Create(),
            UpdateCommand.Create(),
            ImportCommand.Create(result => CommandServices.Build(result)),
            ReindexCommand.Create(result => CommandServices.Build(result)),
            TokenCommands.Create(),
            UserCommands.Create(),
            PackageCommands.CreateRemove(),
            PackageCommands.CreateYank(),
            PackageCommands.CreateUnyank(),
            CacheCommands.Create(),
            AuditCommand.Create(),
        };

        // Tokens no command claims (for example --Storage:RescanInterval=00:00:02) are host configuration.
        // A bare word that is neither (a mistyped command, a folder that does not exist) is refused, not served.
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction(async (result, cancellationToken) =>
        {
            if (StrayWord(result.UnmatchedTokens) is { } word)
            {
                var commands = string.Join(", ", root.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));
                await result.InvocationConfiguration.Error.WriteLineAsync(
                    $"pypilocal: '{word}' is not a command, an option or an existing folder. Commands: {commands}; see `pypilocal --help`.");
                return 2;
            }

            return await ServeCommand.RunAsync(ServeSettings.Default, result.UnmatchedTokens.ToArray(), cancellationToken);
        });
        return root;
    }

    /// <summary>
    /// The first token that is not host configuration, which .NET reads as <c>--Key=value</c>, <c>--Key value</c> or
    /// <c>Key=value</c> (its <c>/Key value</c> form is not taken: that is a folder path).
    /// </summary>
    internal static string? StrayWord(IReadOnlyList<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.StartsWith('-'))
            {
                if (!token.Contains('=', StringComparison.Ordinal))
                {
                    i++; // its value
                }
            }
            else if (!token.Contains('=', StringComparison.Ordinal))
            {
                return token;
            }
        }

        return null;
    }
}
