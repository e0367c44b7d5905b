using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using PypiLocal.Core.Archives;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Inspection;
using PypiLocal.Protocol.Filenames;
using PypiLocal.Protocol.Names;

namespace PypiLocal.Core.Maintenance;

/// <summary>
/// Loads a folder of distributions (nested, e.g. the output of <c>pip wheel -w packages/</c>) into a repository.
/// Files already indexed are skipped without being read, so a second run is cheap and changes nothing.
/// </summary>
public sealed class ImportService(IPackageRepository repository, DistributionInspector inspector, TimeProvider time, ILogger<ImportService> logger)
{
    public async Task<ImportSummary> ImportAsync(string folder, Action<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"There is no folder '{folder}'.");
        }

        var all = Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
            .Order(StringComparer.Ordinal)
            .ToList();
        var candidates = new List<(string Path, DistributionFilename Name)>();
        foreach (var path in all)
        {
            if (DistributionFilename.TryParse(Path.GetFileName(path), out var parsed))
            {
                candidates.Add((path, parsed));
            }
        }

        var indexed = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var failures = new List<ImportProgress>();
        int added = 0, skipped = 0, conflicts = 0;
        for (var i = 0; i < candidates.Count; i++)
        {
            var (path, name) = candidates[i];
            var (outcome, error) = await ImportOneAsync(path, name, indexed, cancellationToken);
            var report = new ImportProgress(i + 1, candidates.Count, path, outcome, error);
            switch (outcome)
            {
                case ImportItemOutcome.Added: added++; break;
                case ImportItemOutcome.Skipped: skipped++; break;
                case ImportItemOutcome.Conflict: conflicts++; failures.Add(report); break;
                default: failures.Add(report); break;
            }

            progress?.Invoke(report);
        }

        var summary = new ImportSummary(added, skipped, conflicts, failures.Count - conflicts, all.Count - candidates.Count, failures);
        logger.LogInformation(
            "Imported {Folder}: {Added} added, {Skipped} skipped, {Conflicts} conflicts, {Failed} failed, {Ignored} other files",
            folder, summary.Added, summary.Skipped, summary.Conflicts, summary.Failed, summary.Ignored);
        return summary;
    }

    private async Task<(ImportItemOutcome, string?)> ImportOneAsync(
        string path, DistributionFilename name, Dictionary<string, HashSet<string>> indexed, CancellationToken cancellationToken)
    {
        var project = name.Project;
        if (!indexed.TryGetValue(project, out var known))
        {
            // One read of the project's index per project, so re-running skips files without hashing them.
            var listing = await repository.GetProjectAsync(project, cancellationToken);
            known = listing is null ? [] : [.. listing.Files.Select(f => f.Filename)];
            indexed[project] = known;
        }

        if (known.Contains(name.Filename))
        {
            return (ImportItemOutcome.Skipped, null);
        }

        DistributionInspection inspection;
        try
        {
            inspection = await inspector.InspectAsync(path, name, cancellationToken);
        }
        catch (ArchiveException e)
        {
            return (ImportItemOutcome.Failed, e.Message);
        }

        if (inspection.MetadataName is { } metadataName && ProjectName.Normalize(metadataName) != project)
        {
            return (ImportItemOutcome.Failed, $"The metadata names the project '{metadataName}', the filename '{project}'.");
        }

        var file = inspection.ToFile(time.GetUtcNow());
        var outcome = await repository.AddAsync(new NewDistribution(file, path, inspection.ServedCoreMetadata), overwrite: false, cancellationToken);
        known.Add(name.Filename);
        return outcome switch
        {
            AddOutcome.Created or AddOutcome.Replaced => (ImportItemOutcome.Added, null),
            AddOutcome.Identical => (ImportItemOutcome.Skipped, null),
            _ => (ImportItemOutcome.Conflict, "A different file of that name is already stored."),
        };
    }
}
