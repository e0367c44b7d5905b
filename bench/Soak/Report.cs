using System.Globalization;
using System.Text;

namespace Soak;

/// <summary>The soak's report as Markdown: the four numbers issue 12 asks for first, then what they rest on.</summary>
internal static class Report
{
    public static string Write(double minutes, TimeSpan soaked, string loadBefore, string loadAfter, Ledger ledger, FinalCheck check, IReadOnlyList<string> unhandled)
    {
        var uploads = ledger.Uploads;
        var text = new StringBuilder()
            .AppendLine("# Soak: uploads, installs, yanks and deletes over three nodes with faults injected at random")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, `bash bench/soak.sh {minutes}` ({soaked.TotalSeconds:F0} s of soak). " +
                        $"Load average (1, 5, 15 min) before: {Load(loadBefore)}; after: {Load(loadAfter)}.")
            .AppendLine()
            .AppendLine("| | |")
            .AppendLine("|---|---:|")
            .AppendLine(CultureInfo.InvariantCulture, $"| requests | {ledger.Requests} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| 5xx other than a storage-outage 503 | {ledger.OtherServerErrors.Count} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| acknowledged-but-lost uploads (must be 0) | {check.Lost.Count} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| blocked retries (must be 0) | {check.Blocked.Count} |")
            .AppendLine()
            .AppendLine("What those rest on:")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"- {uploads.Count} uploads ({uploads.Count(u => u.Acknowledged) - check.Retried + check.Blocked.Count} acknowledged the first time, " +
                        $"{check.Retried} refused or unanswered and retried once the faults were healed, {check.Retried - check.Blocked.Count} of those acknowledged on retry); " +
                        $"{uploads.Count(u => u.Yanked)} yanks and {uploads.Count(u => u.Deleted)} deletes acknowledged, {uploads.Count(u => u.Uncertain)} deletes refused or unanswered (those files are left out of the check).")
            .AppendLine(CultureInfo.InvariantCulture, $"- {check.Checked} checks of an acknowledged, undeleted file on a node (listed with its sha256, downloaded with it); yanks lost: {check.LostYanks.Count}; deleted files listed again: {check.Resurrected.Count}.")
            .AppendLine(CultureInfo.InvariantCulture, $"- Storage-outage 503s: {ledger.StorageOutages}; requests with no answer (node killed, connection cut): {ledger.NoAnswer}.")
            .AppendLine(CultureInfo.InvariantCulture, $"- pip installs: {ledger.Installs}, failed: {ledger.FailedInstalls.Count} (pip retries 5xx itself; its failures are listed below, not counted as 5xx).")
            .AppendLine()
            .AppendLine("Answers by kind:")
            .AppendLine()
            .AppendLine("| request | answer | count |")
            .AppendLine("|---|---|---:|");
        foreach (var (key, count) in ledger.Answers.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            var split = key.LastIndexOf(' ') is var i && key.EndsWith("no answer", StringComparison.Ordinal) ? key.Length - "no answer".Length - 1 : i;
            text.AppendLine(CultureInfo.InvariantCulture, $"| {key[..split]} | {key[(split + 1)..]} | {count} |");
        }

        Section(text, "Faults injected", ledger.Faults);
        Section(text, "5xx other than a storage-outage 503", ledger.OtherServerErrors);
        Section(text, "Unhandled exceptions the nodes logged (their 500s)", [.. unhandled.Select(u => $"`{u.Replace('\n', ' ').Trim()}`")]);
        Section(text, "Acknowledged but lost", check.Lost);
        if (check.LostInStore.Length > 0)
        {
            text.AppendLine().AppendLine(check.LostInStore);
        }

        Section(text, "Blocked retries", check.Blocked);
        Section(text, "Yanks lost, deletes undone", [.. check.LostYanks, .. check.Resurrected]);
        Section(text, "Failed pip installs", ledger.FailedInstalls);
        return text.ToString();
    }

    private static string Load(string loadavg) => string.Join(", ", loadavg.Split(' ').Take(3));

    private static void Section(StringBuilder text, string title, IReadOnlyCollection<string> lines)
    {
        text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"{title}:{(lines.Count == 0 ? " none." : "")}");
        if (lines.Count > 0)
        {
            text.AppendLine();
            foreach (var line in lines.Take(50))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {line}");
            }

            if (lines.Count > 50)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- … and {lines.Count - 50} more");
            }
        }
    }
}
