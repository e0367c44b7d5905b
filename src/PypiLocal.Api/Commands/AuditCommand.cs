using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PypiLocal.Core.Audit;

namespace PypiLocal.Api.Commands;

/// <summary>
/// <c>pypilocal audit [--project P] [--since DATE|DURATION] [--json]</c>: every recorded change, oldest first, with its
/// author, read from the configured storage (the bucket, or the state directory of the folders given with
/// <c>--packages</c>/<c>--state-dir</c>, as for <c>serve</c>).
/// </summary>
internal static class AuditCommand
{
    /// <param name="services">Gives the storage's services when the command runs; by default the configured backends.</param>
    public static Command Create(Func<ParseResult, IServiceProvider>? services = null)
    {
        var project = new Option<string?>("--project") { Description = "Only the changes to this project (any spelling)." };
        var since = new Option<string?>("--since") { Description = "Only changes from then on: a date (2026-11-30), a date-time (UTC unless it says), or a duration back from now (90s, 30m, 24h, 7d, 2w)." };
        var json = new Option<bool>("--json") { Description = "One JSON object per line, with every field (all digests, publisher claims)." };
        var packages = new Option<string[]>("--packages") { Description = "Folder of the embedded storage, as given to 'serve' (repeatable)." };
        var stateDirectory = ServeCommand.StateDirectoryOption();
        var command = new Command("audit", "List the recorded changes (uploads, deletions, yanks, tokens, trusted publishers, login throttling) with who made them.")
        {
            project, since, json, packages, stateDirectory,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            DateTimeOffset? from = null;
            if (result.GetValue(since) is { } text && (from = AuditQuery.ParseSince(text, DateTimeOffset.UtcNow)) is null)
            {
                await result.InvocationConfiguration.Error.WriteLineAsync($"--since: '{text}' is neither a date nor a duration such as 24h or 7d.");
                return 2;
            }

            var settings = CommandSettings.Of(result.GetValue(packages));
            if (result.GetValue(stateDirectory) is { } state)
            {
                settings["Storage:StateDirectory"] = state;
            }

            var log = (services?.Invoke(result) ?? CommandServices.Build(result, settings)).GetRequiredService<AuditLog>();
            await foreach (var entry in log.ReadAsync(new AuditQuery(from, result.GetValue(project)), cancellationToken))
            {
                await output.WriteLineAsync(result.GetValue(json) ? JsonSerializer.Serialize(entry, AuditJsonContext.Default.AuditEvent) : Line(entry));
            }

            return 0;
        });
        return command;
    }

    /// <summary>One event as a line: time, action, who, what, from where.</summary>
    internal static string Line(AuditEvent entry)
    {
        var parts = new List<string>
        {
            entry.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
            JsonSerializer.Serialize(entry.Action, AuditJsonContext.Default.AuditAction).Trim('"'),
            Who(entry.Actor),
        };
        parts.AddRange(new[] { entry.Project, entry.Version, entry.Filename }.OfType<string>());
        if (entry.Hashes is { } hashes)
        {
            parts.Add("sha256=" + hashes.Sha256);
        }

        if (entry.Detail is { } detail)
        {
            parts.Add($"({detail})");
        }

        parts.Add("from " + (entry.Address ?? "unknown"));
        return string.Join("  ", parts);
    }

    private static string Who(AuditActor actor)
    {
        var who = actor.TokenId is null ? actor.User : $"{actor.User} [token {actor.TokenId}]";
        return actor.Publisher is { } publisher
            ? $"{who} [{publisher.Issuer} {string.Join(" ", PublisherClaims.Where(c => publisher.Claim(c) is not null).Select(c => $"{c}={publisher.Claim(c)}"))}]"
            : who;
    }

    // The claims that say which repository and workflow published; --json has them all.
    private static readonly string[] PublisherClaims = ["repository", "workflow_ref", "ref", "sha", "project_path", "ci_config_ref_uri", "email"];
}
