using Microsoft.Extensions.Logging;
using PypiLocal.Core.Audit;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Caching;
using PypiLocal.Core.Catalog;
using PypiLocal.Protocol.Names;
using PypiLocal.Protocol.Versions;

namespace PypiLocal.Core.Publishing;

/// <summary>
/// Removes and yanks files or whole releases through the repository, for the HTTP API, pypiserver's
/// <c>remove_pkg</c> and the command line alike, and invalidates the cached pages before answering.
/// </summary>
public sealed class PackageManagementService(IPackageRepository repository, IPageCache cache, ReleaseProtection releases, AuditTrail audit, ILogger<PackageManagementService> logger)
{
    private const string Removed = "removed";

    public Task<UploadOutcome> RemoveFileAsync(IndexUser user, string project, string filename, CancellationToken cancellationToken) =>
        ApplyAsync(user, project, filename, null, AuditAction.Delete, null, (p, f) => repository.RemoveAsync(p, f, cancellationToken), cancellationToken);

    public Task<UploadOutcome> RemoveReleaseAsync(IndexUser user, string project, string version, CancellationToken cancellationToken) =>
        ApplyAsync(user, project, null, version, AuditAction.Delete, null, (p, f) => repository.RemoveAsync(p, f, cancellationToken), cancellationToken);

    public Task<UploadOutcome> SetFileYankedAsync(IndexUser user, string project, string filename, bool yanked, string? reason, CancellationToken cancellationToken) =>
        ApplyAsync(user, project, filename, null, yanked ? AuditAction.Yank : AuditAction.Unyank, yanked ? Clean(reason) : null, (p, f) => repository.SetYankedAsync(p, f, yanked, yanked ? Clean(reason) : null, cancellationToken), cancellationToken);

    public Task<UploadOutcome> SetReleaseYankedAsync(IndexUser user, string project, string version, bool yanked, string? reason, CancellationToken cancellationToken) =>
        ApplyAsync(user, project, null, version, yanked ? AuditAction.Yank : AuditAction.Unyank, yanked ? Clean(reason) : null, (p, f) => repository.SetYankedAsync(p, f, yanked, yanked ? Clean(reason) : null, cancellationToken), cancellationToken);

    private async Task<UploadOutcome> ApplyAsync(
        IndexUser user,
        string projectName,
        string? filename,
        string? version,
        AuditAction change,
        string? reason,
        Func<string, string, Task<bool>> action,
        CancellationToken cancellationToken)
    {
        var verb = change switch { AuditAction.Delete => Removed, AuditAction.Yank => "yanked", _ => "unyanked" };
        if (!ProjectName.IsValid(projectName))
        {
            return UploadOutcome.Fail(UploadStatus.NotFound, $"No project named '{projectName}'.");
        }

        var project = ProjectName.Normalize(projectName);
        if (user.Refusal(AccessRight.Maintain, project) is { } forbidden)
        {
            return UploadOutcome.Fail(UploadStatus.Forbidden, forbidden);
        }

        if (change == AuditAction.Delete && releases.DeletionRefusal(project) is { } refusal)
        {
            return UploadOutcome.Fail(UploadStatus.Forbidden, refusal);
        }

        PackageVersion? target = null;
        if (version is not null && !PackageVersion.TryParse(version, out target))
        {
            return UploadOutcome.Fail(UploadStatus.Invalid, $"'{version}' is not a valid PEP 440 version.");
        }

        var listing = await repository.GetProjectAsync(project, cancellationToken);
        var files = listing?.Files
            .Where(f => filename is not null
                ? f.Filename == filename
                : PackageVersion.TryParse(f.Version, out var v) && v == target)
            .ToList() ?? [];
        if (files.Count == 0)
        {
            return UploadOutcome.Fail(UploadStatus.NotFound, filename is not null
                ? $"No file '{filename}' in project '{project}'."
                : $"{project} ({version}) not found.");
        }

        var done = new List<DistributionFile>();
        try
        {
            foreach (var file in files)
            {
                if (await action(project, file.Filename))
                {
                    done.Add(file);
                }
            }
        }
        catch (UploadRejectedException e)
        {
            // The storage refused (a read-only package folder): say so (the pages are dropped below all the same).
            return UploadOutcome.Fail(e.Status, e.Message);
        }
        finally
        {
            // Also when storage failed on a later file: the pages must stop listing the ones already changed.
            // Caches never throw (IPageCache), and the request's own cancellation must not skip this.
            await cache.InvalidateProjectAsync(project, CancellationToken.None);

            // Every file changed is recorded, also those changed before storage failed on a later one.
            foreach (var file in done)
            {
                await audit.RecordAsync(user, AuditChange.OfFile(change, file, reason));
            }
        }

        logger.LogInformation("{User} {Verb} {Count} file(s) of {Project}: {Files}", user.Name, verb, done.Count, project, string.Join(", ", done.Select(f => f.Filename)));
        return done.Count == 0
            ? UploadOutcome.Fail(UploadStatus.NotFound, $"Nothing {verb}: the files were already gone.")
            : new UploadOutcome(UploadStatus.Changed, $"{char.ToUpperInvariant(verb[0])}{verb[1..]} {string.Join(", ", done.Select(f => f.Filename))}.", done);
    }

    // Reasons travel in headers and HTML attributes: one line, bounded.
    private static string? Clean(string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return null;
        }

        var line = string.Join(' ', reason.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return line.Length > 1000 ? line[..1000] : line;
    }
}
