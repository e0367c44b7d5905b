using Microsoft.Extensions.Logging.Abstractions;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Folder;
using PypiLocal.Protocol.Filenames;
using PypiLocal.Protocol.Versions;

namespace PypiLocal.Core.Upstream;

/// <summary>A project's newest release in the package folders, with its files.</summary>
public sealed record LocalRelease(string Project, PackageVersion Version, IReadOnlyList<(string Path, DistributionFilename Name)> Files);

/// <summary>A newer release an upstream has, with its files, from the index that has it.</summary>
public sealed record AvailableUpdate(LocalRelease Local, UpstreamIndex Index, PackageVersion Version, IReadOnlyList<UpstreamFile> Files);

/// <summary>
/// pypiserver's <c>update</c>: the projects in the package folders, the newest release of each that an upstream has
/// (final releases unless asked for pre-releases; release policies applied, so a cooldown holds here too), and the
/// download of its files, each checked against the upstream's sha256.
/// </summary>
public sealed class UpdateFinder(UpstreamClient client, ReleasePolicy policy, TimeProvider time)
{
    /// <summary>The newest release of each project in the folders (files that are not distributions are skipped).</summary>
    public static IReadOnlyList<LocalRelease> ScanLatest(IReadOnlyList<string> folders)
    {
        var tree = new FolderTree(folders, new FolderScanner(TimeProvider.System, NullLogger<FolderScanner>.Instance));
        tree.ScanAll();
        return new FolderSnapshot(tree.Files()).Projects
            .Select(p => p.Value.Values.GroupBy(f => f.Name.Version).MaxBy(g => g.Key) is { } newest
                ? new LocalRelease(p.Key, newest.Key, newest.Select(f => (f.Path, f.Name)).ToList())
                : null)
            .OfType<LocalRelease>()
            .OrderBy(r => r.Project, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The newest upstream release above the local one, from the first index that has the project; null when there is
    /// none. <c>Found</c> is false when no index has the project at all; failures come back as their reason.
    /// </summary>
    public async Task<(AvailableUpdate? Update, bool Found, string? Failure)> FindAsync(LocalRelease local, IReadOnlyList<UpstreamIndex> indexes, bool allowPrereleases, CancellationToken cancellationToken)
    {
        foreach (var index in indexes)
        {
            switch (await client.GetPageAsync(index, local.Project, null, cancellationToken))
            {
                case UpstreamNotFound:
                    continue;
                case UpstreamFailed failed:
                    return (null, false, failed.Reason);
                case UpstreamFound found:
                    var now = time.GetUtcNow();
                    var newest = found.Page.Page.Files
                        .Select(f => UpstreamFile.From(local.Project, f))
                        .OfType<UpstreamFile>()
                        .Where(f => !f.Yanked && policy.Evaluate(new FileFacts(local.Project, f.Filename, f.UploadTime, index.Name), now).Allowed)
                        .GroupBy(f => PackageVersion.Parse(f.Version))
                        .Where(g => g.Key > local.Version && (allowPrereleases || !g.Key.IsPrerelease))
                        .MaxBy(g => g.Key);
                    return (newest is null ? null : new AvailableUpdate(local, index, newest.Key, newest.ToList()), true, null);
                default:
                    return (null, false, $"{index.Name} gave an unexpected answer for {local.Project}");
            }
        }

        return (null, false, null);
    }

    /// <summary>
    /// The files to download for an update: those of the same kind and tags as the local release's (the sdist for an
    /// sdist, the same python/abi/platform wheel for a wheel); all of them when none corresponds.
    /// </summary>
    public static IReadOnlyList<UpstreamFile> SameFlavour(AvailableUpdate update)
    {
        static string Flavour(DistributionFilename name) => $"{name.Kind}|{name.PythonTag}|{name.AbiTag}|{name.PlatformTag}";
        var local = update.Local.Files.Select(f => Flavour(f.Name)).ToHashSet(StringComparer.Ordinal);
        var matching = update.Files
            .Where(f => DistributionFilename.TryParseForProject(f.Filename, update.Local.Project, out var name) && local.Contains(Flavour(name)))
            .ToList();
        return matching.Count > 0 ? matching : update.Files;
    }

    /// <summary>Downloads one file into <paramref name="directory"/>, checked against its sha256; nothing is left on failure.</summary>
    public async Task<FetchOutcome> DownloadAsync(UpstreamIndex index, UpstreamFile file, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var target = Path.Combine(directory, file.Filename);
        var fetch = new UpstreamFetch(index.Name, file.Filename, DownloadPart.File, Path.Combine(directory, $".{file.Filename}.{Guid.NewGuid():N}.part"));
        await fetch.RunAsync(
            ct => client.GetFileAsync(index, new Uri(file.Url), ct),
            file.Sha256,
            file.Size,
            (verified, _) =>
            {
                File.Move(verified, target, overwrite: true);
                return Task.CompletedTask;
            },
            cancellationToken);
        return await fetch.Completion;
    }
}
