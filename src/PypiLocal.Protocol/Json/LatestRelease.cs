using PypiLocal.Protocol.Versions;

namespace PypiLocal.Protocol.Json;

/// <summary>
/// PyPI's "latest" release for <c>/pypi/{p}/json</c>: the highest non-yanked final release, else the
/// highest non-yanked pre-release, else (all yanked) the highest of all.
/// </summary>
public static class LatestRelease
{
    public static PypiJsonRelease? Pick(IEnumerable<PypiJsonRelease> releases) =>
        Pick(releases, release => release.Version, release => release.IsYanked);

    /// <summary>The same rule over any items that carry a version and a yanked flag.</summary>
    public static T? Pick<T>(IEnumerable<T> items, Func<T, PackageVersion> version, Func<T, bool> isYanked)
        where T : class
    {
        var all = items.ToList();
        var live = all.Where(item => !isYanked(item)).ToList();
        // Warehouse: order non-yanked releases by (is_prerelease, version desc); when all are yanked, the highest.
        return live.Count == 0
            ? all.MaxBy(version)
            : live.OrderBy(item => version(item).IsPrerelease).ThenByDescending(version).First();
    }
}
