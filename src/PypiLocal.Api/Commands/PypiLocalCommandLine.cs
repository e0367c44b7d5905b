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
            PackageCommands.CreateRemove(),
            PackageCommands.CreateYank(),
            PackageCommands.CreateUnyank(),
            CacheCommands.Create(),
            AuditCommand.Create(),
        };

        // Tokens no command claims (for example --Storage:RescanInterval=00:00:02) are host configuration.
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction((result, cancellationToken) => ServeCommand.RunAsync(ServeSettings.Default, result.UnmatchedTokens.ToArray(), cancellationToken));
        return root;
    }
}
