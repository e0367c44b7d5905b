namespace PypiLocal.Core.Upstream;

/// <summary>
/// Upstream indexes (section <c>Upstream</c>): the Simple API indexes asked, in order, for projects this index
/// does not have, what may be fetched from them, and the release policies applied when pages are served.
/// </summary>
public sealed class UpstreamOptions
{
    public const string SectionName = "Upstream";

    /// <summary>The indexes asked, in order (<c>Upstream:Indexes:0:Url</c>, or <c>serve --upstream URL</c>).</summary>
    public List<UpstreamIndexOptions> Indexes { get; set; } = [];

    /// <summary>Project name patterns (<c>*</c>, <c>?</c> on normalized names) that may come from upstream; empty means any.</summary>
    public List<string> Allow { get; set; } = [];

    /// <summary>Patterns never fetched from upstream, even if allowed: your organization's prefixes (dependency confusion).</summary>
    public List<string> Deny { get; set; } = [];

    /// <summary>How long an upstream project page is used before it is revalidated (conditional request).</summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long "no upstream has this project" is remembered.</summary>
    public TimeSpan NotFoundTtl { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Longest wait for an upstream answer (each attempt); a slower upstream counts as failing.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Files removed upstream stay listed and downloadable while their bytes are in the cache.</summary>
    public bool KeepRemovedFiles { get; set; } = true;

    /// <summary>Embedded mode: where upstream pages and files are kept (default: <c>upstream</c> under the state directory).</summary>
    public string? CacheDirectory { get; set; }

    /// <summary>Release policies for upstream files (and local ones with <see cref="UpstreamPolicyOptions.ApplyToLocal"/>).</summary>
    public UpstreamPolicyOptions Policy { get; set; } = new();

    /// <summary>Per-project settings, by name (any spelling): merging, minimum age, break glass.</summary>
    public Dictionary<string, UpstreamProjectOptions> Projects { get; } = new(StringComparer.OrdinalIgnoreCase);

    public bool Enabled => Indexes.Count > 0;
}

/// <summary>One upstream index.</summary>
public sealed class UpstreamIndexOptions
{
    /// <summary>A short name used in logs, <c>cache list</c> and documents; default: the URL's host.</summary>
    public string? Name { get; set; }

    /// <summary>The Simple API root, e.g. <c>https://pypi.org/simple/</c>.</summary>
    public Uri? Url { get; set; }

    /// <summary>HTTP Basic credentials, sent to the index's own host only (never to a file CDN it links to).</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Overrides <see cref="UpstreamOptions.Ttl"/> for this index.</summary>
    public TimeSpan? Ttl { get; set; }

    /// <summary>Minimum age of this index's files before they are served (overrides <see cref="UpstreamPolicyOptions.MinAge"/>).</summary>
    public TimeSpan? MinAge { get; set; }
}

/// <summary>Release policies, applied when a page or file is served, never when it is fetched.</summary>
public sealed class UpstreamPolicyOptions
{
    /// <summary>Files younger than this (by their upstream upload time) are hidden and refused: a cooldown.</summary>
    public TimeSpan? MinAge { get; set; }

    /// <summary>Files uploaded after this instant are hidden and refused.</summary>
    public DateTimeOffset? NotNewerThan { get; set; }

    /// <summary>While a time policy applies: <c>Deny</c> (default) hides files whose upload time is unknown; <c>Allow</c> serves them.</summary>
    public UnknownUploadTime UnknownUploadTime { get; set; } = UnknownUploadTime.Deny;

    /// <summary>Apply the policies to local projects too.</summary>
    public bool ApplyToLocal { get; set; }
}

/// <summary>What a time policy does with a file whose upload time the upstream did not give.</summary>
public enum UnknownUploadTime
{
    Deny,
    Allow,
}

/// <summary>One project's upstream settings (<c>Upstream:Projects:&lt;name&gt;</c>).</summary>
public sealed class UpstreamProjectOptions
{
    /// <summary>A local project whose page also lists the upstream's files (local files win on equal names).</summary>
    public bool Merge { get; set; }

    /// <summary>This project's minimum age, overriding the index's and the global one.</summary>
    public TimeSpan? MinAge { get; set; }

    /// <summary>Break glass: no policy applies to this project.</summary>
    public bool Bypass { get; set; }
}
