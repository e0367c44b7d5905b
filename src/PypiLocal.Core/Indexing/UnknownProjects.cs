using Microsoft.Extensions.Options;

namespace PypiLocal.Core.Indexing;

/// <summary>
/// The one place that decides what a request for a project this index does not hold gets: a redirect to the fallback
/// index when one is configured (pypiserver's <c>--fallback-url</c>, on for <c>run</c>), else a plain 404.
/// Fetching from an upstream index instead belongs here too.
/// </summary>
public sealed class UnknownProjects(IOptions<IndexOptions> options)
{
    /// <summary>Where to send the client for <paramref name="project"/> (normalized), or null to answer 404.</summary>
    public Uri? FallbackFor(string project) =>
        string.IsNullOrWhiteSpace(options.Value.FallbackUrl)
            ? null
            : new Uri($"{options.Value.FallbackUrl.TrimEnd('/')}/{Uri.EscapeDataString(project)}/");
}
