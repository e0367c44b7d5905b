using Microsoft.Extensions.Logging;
using PypiLocal.Core.Archives;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Catalog.Bucket;
using PypiLocal.Core.Inspection;
using PypiLocal.Core.Storage;
using PypiLocal.Protocol.Filenames;

namespace PypiLocal.Core.Maintenance;

/// <summary>
/// Brings the bucket's index documents in line with the objects under <c>files/</c>, after files were copied
/// in or deleted by other tools: objects without an entry are downloaded once and inspected, entries whose
/// object is gone are dropped. Changes go through the same If-Match updates as uploads, so it can run beside
/// live nodes, and running it again changes nothing.
/// </summary>
public sealed class ReindexService(BucketRepository repository, IBlobStore store, DistributionInspector inspector, ILogger<ReindexService> logger)
{
    public async Task<ReindexSummary> ReindexAsync(Action<string>? progress, CancellationToken cancellationToken)
    {
        var objects = new Dictionary<string, Dictionary<string, BlobInfo>>(StringComparer.Ordinal);
        await foreach (var blob in store.ListAsync(BucketKeys.FilesPrefix, cancellationToken))
        {
            if (BucketKeys.ParseFile(blob.Key) is var (project, name))
            {
                (objects.TryGetValue(project, out var files) ? files : objects[project] = new(StringComparer.Ordinal))[name] = blob;
            }
        }

        var projects = new SortedSet<string>(objects.Keys, StringComparer.Ordinal);
        await foreach (var blob in store.ListAsync(BucketKeys.IndexPrefix, cancellationToken))
        {
            if (BucketKeys.ProjectOfIndex(blob.Key) is { } project)
            {
                projects.Add(project);
            }
        }

        int added = 0, removed = 0;
        var failures = new List<string>();
        foreach (var project in projects)
        {
            var (a, r) = await ReindexProjectAsync(project, objects.GetValueOrDefault(project) ?? [], failures, progress, cancellationToken);
            added += a;
            removed += r;
        }

        logger.LogInformation("Reindexed {Projects} projects: {Added} entries added, {Removed} dropped, {Failed} failures", projects.Count, added, removed, failures.Count);
        return new ReindexSummary(projects.Count, added, removed, failures.Count, failures);
    }

    private async Task<(int Added, int Removed)> ReindexProjectAsync(
        string project, Dictionary<string, BlobInfo> objects, List<string> failures, Action<string>? progress, CancellationToken cancellationToken)
    {
        var listing = await repository.GetProjectAsync(project, cancellationToken);
        var distributions = objects.Keys.Where(k => BucketKeys.CompanionOf(k) is null).ToHashSet(StringComparer.Ordinal);

        // An entry whose object now has another size was overwritten by other tools: inspect it again.
        var replaced = listing?.Files.Where(f => objects.TryGetValue(f.Filename, out var blob) && blob.Length != f.Size)
            .Select(f => f.Filename).ToHashSet(StringComparer.Ordinal) ?? [];
        var indexed = listing?.Files.Select(f => f.Filename).Where(n => !replaced.Contains(n)).ToHashSet(StringComparer.Ordinal) ?? [];

        var newEntries = new List<DistributionFile>();
        foreach (var name in distributions.Where(n => !indexed.Contains(n)).Order(StringComparer.Ordinal))
        {
            if (!DistributionFilename.TryParse(name, out var parsed) || parsed.Project != project)
            {
                failures.Add($"{project}/{name}: not a distribution of '{project}'; left unindexed.");
                continue;
            }

            try
            {
                newEntries.Add(await InspectObjectAsync(project, parsed, objects[name], cancellationToken));
                progress?.Invoke($"indexed {project}/{name}");
            }
            catch (ArchiveException e)
            {
                failures.Add($"{project}/{name}: {e.Message}");
            }
        }

        // Entries without an object: confirm each with a fresh HEAD, since an upload may have landed after the LIST.
        var gone = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in (listing?.Files.Select(f => f.Filename) ?? []).Where(n => !distributions.Contains(n)))
        {
            if (await store.StatAsync(BucketKeys.File(project, name), cancellationToken) is null)
            {
                gone.Add(name);
                progress?.Invoke($"dropped {project}/{name}");
            }
        }

        // Metadata and provenance objects whose distribution is gone. A file indexed here gets no provenance: only an
        // upload verifies attestations, so a provenance object found beside a copied-in file is never advertised.
        foreach (var name in objects.Keys)
        {
            if (BucketKeys.CompanionOf(name) is { } distribution && !distributions.Contains(distribution)
                && await store.StatAsync(BucketKeys.File(project, distribution), cancellationToken) is null)
            {
                await store.DeleteAsync(BucketKeys.File(project, name), cancellationToken);
            }
        }

        if (newEntries.Count == 0 && gone.Count == 0)
        {
            return (0, 0);
        }

        return await repository.ReconcileIndexAsync(project, newEntries, replaced, gone, cancellationToken);
    }

    private async Task<DistributionFile> InspectObjectAsync(string project, DistributionFilename parsed, BlobInfo blob, CancellationToken cancellationToken)
    {
        var temp = Path.Combine(Path.GetTempPath(), $"pypilocal-reindex-{Guid.NewGuid():N}");
        try
        {
            await using (var source = await store.OpenReadAsync(blob.Key, cancellationToken) ?? throw new ArchiveException("the object disappeared."))
            await using (var target = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await source.CopyToAsync(target, cancellationToken);
            }

            var inspection = await inspector.InspectAsync(temp, parsed, cancellationToken);
            if (inspection.ServedCoreMetadata is { } metadata)
            {
                await store.PutAsync(BucketKeys.CoreMetadata(project, parsed.Filename), new MemoryStream(metadata, writable: false), metadata.Length, BlobWriteCondition.None, cancellationToken);
            }

            // First seen: when the object was written.
            return inspection.ToFile(blob.LastModified);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
