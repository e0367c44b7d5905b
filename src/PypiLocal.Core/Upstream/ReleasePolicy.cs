using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PypiLocal.Protocol.Names;
using PypiLocal.Protocol.Simple;

namespace PypiLocal.Core.Upstream;

/// <summary>The facts a release policy looks at: which file, when it was uploaded, and where it comes from.</summary>
/// <param name="Index">The upstream index's name, or null for a local file.</param>
public sealed record FileFacts(string Project, string Filename, DateTimeOffset? UploadTime, string? Index);

/// <summary>A policy's answer for one file: served or not, why not, and from when it will be (null: never by waiting).</summary>
public readonly record struct PolicyVerdict(bool Allowed, string? Reason, DateTimeOffset? AllowedFrom)
{
    public static readonly PolicyVerdict Allow = new(true, null, null);
}

/// <summary>
/// The release policies, as a pure function of a file's facts, the time and the settings: a minimum age (per
/// project, else per index, else global), a "nothing newer than" instant, a per-project bypass (break glass), and
/// what to do with a file whose upload time is unknown. Applied when pages and files are served, never when they
/// are fetched, so a changed policy takes effect at once. <see cref="Stamp"/> identifies the settings, so cached
/// pages rendered under other settings are not served.
/// </summary>
public sealed class ReleasePolicy
{
    private readonly UpstreamPolicyOptions _policy;
    private readonly Dictionary<string, UpstreamProjectOptions> _projects;
    private readonly Dictionary<string, TimeSpan?> _indexMinAges;

    public ReleasePolicy(UpstreamOptions options)
    {
        _policy = options.Policy;
        _projects = options.Projects.ToDictionary(p => ProjectName.Normalize(p.Key), p => p.Value, StringComparer.Ordinal);
        var indexes = UpstreamIndex.From(options);
        _indexMinAges = indexes.ToDictionary(i => i.Name, i => i.MinAge, StringComparer.Ordinal);
        Stamp = options.Enabled || _policy.ApplyToLocal ? Fingerprint(options, indexes) : null;
    }

    /// <summary>No upstream, no policy: every file is served.</summary>
    public static ReleasePolicy None { get; } = new(new UpstreamOptions());

    /// <summary>A short hash of every setting that changes what pages show; null when none is set.</summary>
    public string? Stamp { get; }

    /// <summary>Whether local files are subject to the policies too (<see cref="UpstreamPolicyOptions.ApplyToLocal"/>).</summary>
    public bool AppliesToLocal => _policy.ApplyToLocal;

    /// <summary>Whether a local project's page also lists the upstream's files (the operator opted in by name).</summary>
    public bool Merges(string project) => _projects.TryGetValue(project, out var settings) && settings.Merge;

    public PolicyVerdict Evaluate(FileFacts file, DateTimeOffset now)
    {
        if ((file.Index is null && !_policy.ApplyToLocal) || (_projects.TryGetValue(file.Project, out var project) && project.Bypass))
        {
            return PolicyVerdict.Allow;
        }

        var minAge = project?.MinAge ?? (file.Index is not null ? _indexMinAges.GetValueOrDefault(file.Index) : null) ?? _policy.MinAge;
        if (minAge is null && _policy.NotNewerThan is null)
        {
            return PolicyVerdict.Allow;
        }

        if (file.UploadTime is not { } uploaded)
        {
            return _policy.UnknownUploadTime == UnknownUploadTime.Allow
                ? PolicyVerdict.Allow
                : new PolicyVerdict(false, $"{file.Filename} has no known upload time, and this index's release policy needs one.", null);
        }

        if (_policy.NotNewerThan is { } cutoff && uploaded > cutoff)
        {
            return new PolicyVerdict(false, $"{file.Filename} was uploaded {UploadTimeFormat.Format(uploaded)}, after this index's cut-off of {UploadTimeFormat.Format(cutoff)}.", null);
        }

        if (minAge is { } age && uploaded + age > now)
        {
            var from = uploaded + age;
            return new PolicyVerdict(false, $"{file.Filename} was uploaded {UploadTimeFormat.Format(uploaded)}, less than the minimum age of {Describe(age)} ago; it is served from {UploadTimeFormat.Format(from)}.", from);
        }

        return PolicyVerdict.Allow;
    }

    /// <summary>"7 days", "12 hours", "90 minutes": the largest whole unit.</summary>
    internal static string Describe(TimeSpan age) =>
        age.Ticks % TimeSpan.TicksPerDay == 0 ? Plural(age.Days, "day")
        : age.Ticks % TimeSpan.TicksPerHour == 0 ? Plural((long)age.TotalHours, "hour")
        : age.Ticks % TimeSpan.TicksPerMinute == 0 ? Plural((long)age.TotalMinutes, "minute")
        : Plural((long)Math.Ceiling(age.TotalSeconds), "second");

    private static string Plural(long count, string unit) => $"{count.ToString(CultureInfo.InvariantCulture)} {unit}{(count == 1 ? "" : "s")}";

    // Credentials are left out: they change no page.
    private static string Fingerprint(UpstreamOptions options, IReadOnlyList<UpstreamIndex> indexes)
    {
        var text = new StringBuilder()
            .AppendJoin('|', indexes.Select(i => $"{i.Name}={i.Url}@{i.MinAge}"))
            .Append(";allow=").AppendJoin(',', options.Allow)
            .Append(";deny=").AppendJoin(',', options.Deny)
            .Append(CultureInfo.InvariantCulture, $";min={options.Policy.MinAge};cut={options.Policy.NotNewerThan:O};unknown={options.Policy.UnknownUploadTime};local={options.Policy.ApplyToLocal};keep={options.KeepRemovedFiles}")
            .AppendJoin(';', options.Projects.OrderBy(p => ProjectName.Normalize(p.Key), StringComparer.Ordinal)
                .Select(p => $"{ProjectName.Normalize(p.Key)}:{p.Value.Merge}:{p.Value.MinAge}:{p.Value.Bypass}"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }
}
