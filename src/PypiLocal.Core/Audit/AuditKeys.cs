using System.Globalization;

namespace PypiLocal.Core.Audit;

/// <summary>
/// Where the audit trail lives, in a bucket or a state directory alike: one object per event at
/// <c>audit/events/yyyy/MM/dd/&lt;ticks&gt;-&lt;random&gt;.json</c>, so key order is time order (ties broken by the random
/// part) and a reader lists a day, month or year by prefix; and the last recorded trusted-publisher set.
/// </summary>
public static class AuditKeys
{
    public const string EventsPrefix = "audit/events/";
    public const string Publishers = "audit/trusted-publishers.json";
    private const string Suffix = ".json";

    /// <summary>A new event id for <paramref name="ticks"/>: fixed width, so ids sort as their times.</summary>
    public static string NewId(long ticks, string random) => ticks.ToString("D19", CultureInfo.InvariantCulture) + "-" + random;

    public static string Event(string id)
    {
        var time = new DateTime(TicksOf(id), DateTimeKind.Utc);
        return $"{MonthPrefix(time)}{time:dd}/{id}{Suffix}";
    }

    /// <summary>The listing prefix of one month's events.</summary>
    public static string MonthPrefix(DateTime time) => string.Create(CultureInfo.InvariantCulture, $"{EventsPrefix}{time:yyyy}/{time:MM}/");

    /// <summary>The id of an event key, or null for any other key.</summary>
    public static string? IdOf(string key)
    {
        if (!key.StartsWith(EventsPrefix, StringComparison.Ordinal) || !key.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return null;
        }

        var name = key[(key.LastIndexOf('/') + 1)..^Suffix.Length];
        return name.Length > 20 && name[19] == '-' && long.TryParse(name.AsSpan(0, 19), NumberStyles.None, CultureInfo.InvariantCulture, out _) ? name : null;
    }

    public static long TicksOf(string id) => long.Parse(id.AsSpan(0, 19), NumberStyles.None, CultureInfo.InvariantCulture);
}
