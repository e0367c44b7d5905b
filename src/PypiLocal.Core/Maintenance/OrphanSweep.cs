using Microsoft.Extensions.Logging;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Catalog.Bucket;
using PypiLocal.Core.Storage;

namespace PypiLocal.Core.Maintenance;

/// <summary>
/// Deletes the objects under <c>blobs/</c> that no index entry names and that are older than a grace period:
/// the bytes of uploads whose node or client died before the entry was written, of uploads that lost the
/// name to another node, and of files replaced or removed when the delete itself failed. One LIST, then one
/// index read per project that has candidates. Safe beside live nodes and other sweeps.
/// </summary>
public sealed class OrphanSweep(IBlobStore store, BucketRepository repository, TimeProvider time, ILogger<OrphanSweep> logger)
{
    /// <summary>Deletes the unreferenced objects older than <paramref name="grace"/>; returns how many.</summary>
    public async Task<int> SweepAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - grace;
        var candidates = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        await foreach (var blob in store.ListAsync(BucketKeys.BlobsPrefix, cancellationToken))
        {
            if (blob.LastModified < cutoff && BucketKeys.ProjectOfBlob(blob.Key) is { } project)
            {
                (candidates.TryGetValue(project, out var keys) ? keys : candidates[project] = []).Add(blob.Key);
            }
        }

        var deleted = 0;
        foreach (var (project, keys) in candidates)
        {
            // Read after the LIST: an entry written since names its key here, and is kept.
            var listing = await repository.GetProjectAsync(project, cancellationToken);
            var referenced = (listing?.Files ?? []).Where(f => f.StorageKey is not null)
                .SelectMany(BucketKeys.ObjectsOf)
                .ToHashSet(StringComparer.Ordinal);
            foreach (var key in keys.Where(k => !referenced.Contains(k)))
            {
                await store.DeleteAsync(key, cancellationToken);
                deleted++;
            }
        }

        if (deleted > 0)
        {
            logger.LogInformation("Swept {Count} unreferenced objects older than {Grace}", deleted, grace);
        }

        return deleted;
    }
}
