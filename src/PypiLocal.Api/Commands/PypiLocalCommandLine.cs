using System.CommandLine;

namespace PypiLocal.Api.Commands;

/// <summary>The <c>pypilocal</c> command line: <c>serve</c> (also the default) and the maintenance commands.</summary>
internal static class PypiLocalCommandLine
{
    public static RootCommand Create()
    {
        var serve = ServeCommand.Create();
        var root = new RootCommand("PypiLocal: a private Python package index. Run with no command to serve the configured storage.")
        {
            serve,
            ImportCommand.Create(result => CommandServices.Build(result)),
            ReindexCommand.Create(result => CommandServices.Build(result)),
            TokenCommands.Create(),
            PackageCommands.CreateRemove(),
            PackageCommands.CreateYank(),
            PackageCommands.CreateUnyank(),
            CacheCommands.Create(),
            UpdateCommand.Create(),
        };

        // Tokens no command claims (for example --Storage:RescanInterval=00:00:02) are host configuration.
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction((result, cancellationToken) => ServeCommand.RunAsync(ServeSettings.Default, result.UnmatchedTokens.ToArray(), cancellationToken));
        return root;
    }
}
