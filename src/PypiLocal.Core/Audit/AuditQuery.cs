using System.Globalization;
using PypiLocal.Protocol.Names;

namespace PypiLocal.Core.Audit;

/// <summary>Which events a reader wants: those at or after <paramref name="Since"/>, of <paramref name="Project"/> (any spelling) when given.</summary>
public sealed record AuditQuery(DateTimeOffset? Since = null, string? Project = null)
{
    private readonly string? _project = Project is null ? null : Normalized(Project);

    public bool Matches(AuditEvent entry) =>
        (Since is not { } since || entry.Time >= since)
        && (_project is null || entry.Project == _project);

    /// <summary>
    /// Reads a <c>--since</c> / <c>?since=</c> value: a date or date-time (ISO 8601, UTC unless it says otherwise), or a
    /// duration back from <paramref name="now"/> (<c>90s</c>, <c>30m</c>, <c>24h</c>, <c>7d</c>, <c>2w</c>). Null when it is neither.
    /// </summary>
    public static DateTimeOffset? ParseSince(string text, DateTimeOffset now)
    {
        text = text.Trim();
        if (text.Length >= 2 && char.IsAsciiDigit(text[0]) && "smhdw".Contains(char.ToLowerInvariant(text[^1]), StringComparison.Ordinal)
            && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            var unit = char.ToLowerInvariant(text[^1]) switch
            {
                's' => TimeSpan.FromSeconds(1),
                'm' => TimeSpan.FromMinutes(1),
                'h' => TimeSpan.FromHours(1),
                'd' => TimeSpan.FromDays(1),
                _ => TimeSpan.FromDays(7),
            };
            return now - unit * amount;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) ? time : null;
    }

    private static string Normalized(string project) => ProjectName.IsValid(project) ? ProjectName.Normalize(project) : project;
}
