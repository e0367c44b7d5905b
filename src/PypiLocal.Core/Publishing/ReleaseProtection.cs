using Microsoft.Extensions.Options;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Catalog;

namespace PypiLocal.Core.Publishing;

/// <summary>
/// What keeps a release what people pinned (docs/protocol.md#closed-releases): a release closes to new files some
/// days after its first file, and a yank-only project never loses a file, neither deleted nor overwritten.
/// </summary>
public sealed class ReleaseProtection(IOptions<PublishingOptions> options, TimeProvider time)
{
    /// <summary>
    /// PyPI's refusal, word for word, when <paramref name="release"/> (the files already in it) is closed, or null
    /// when it still takes files.
    /// </summary>
    public string? ClosedReleaseRefusal(IEnumerable<DistributionFile> release)
    {
        var days = options.Value.CloseReleasesAfterDays;
        // One pass over the files: the earliest upload, or null when there are none.
        if (days <= 0 || release.Min(f => (DateTimeOffset?)f.UploadTime) is not { } opened)
        {
            return null;
        }

        return time.GetUtcNow() - opened > TimeSpan.FromDays(days)
            ? $"Uploading new files to releases older than {days} days is not allowed."
            : null;
    }

    /// <summary>Whether files of a (normalized) project may only be yanked, never deleted or replaced.</summary>
    public bool IsYankOnly(string project) =>
        options.Value.YankOnlyProjects.Any(pattern => ProjectPattern.Matches(pattern, project));

    /// <summary>Whether an upload may replace a file of the same name in a (normalized) project.</summary>
    public bool MayOverwrite(string project) => options.Value.Overwrite && !IsYankOnly(project);

    /// <summary>Why files of a (normalized) project may not be deleted, or null when they may.</summary>
    public string? DeletionRefusal(string project) =>
        IsYankOnly(project) ? $"Project '{project}' is yank-only: its files can be yanked but never deleted." : null;
}
