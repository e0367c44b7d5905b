using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using PypiLocal.Core.Attestations;
using PypiLocal.Core.Audit;
using PypiLocal.Core.Auth;
using PypiLocal.Core.Caching;
using PypiLocal.Core.Catalog;
using PypiLocal.Core.Diagnostics;
using PypiLocal.Core.Projects;
using PypiLocal.Protocol.Filenames;
using PypiLocal.Protocol.Versions;

namespace PypiLocal.Core.Publishing;

/// <summary>
/// Runs an upload through the checks in PyPI's order, stores it through the repository (which writes the
/// index entry last) and invalidates the cached pages before answering. Works on any backend.
/// </summary>
public sealed class UploadService(
    IPackageRepository repository,
    IPageCache cache,
    ProjectStatuses statuses,
    UploadValidator validator,
    AttestationVerifier attestations,
    ReleaseProtection releases,
    AuditTrail audit,
    TimeProvider time,
    ILogger<UploadService> logger)
{
    /// <summary>Checks and stores <paramref name="form"/>'s file for <paramref name="user"/>. The caller disposes the staged file.</summary>
    public async Task<UploadOutcome> UploadAsync(UploadForm form, IndexUser user, CancellationToken cancellationToken)
    {
        UploadOutcome outcome;
        try
        {
            outcome = await UploadCoreAsync(form, user, cancellationToken);
        }
        catch (UploadRejectedException e)
        {
            logger.LogInformation("Upload of {Filename} by {User} refused ({Status}): {Reason}", form.Content?.ClientFilename, user.Name, e.Status, e.Message);
            outcome = UploadOutcome.Fail(e.Status, e.Message);
        }

        PypiLocalMetrics.RecordUpload(outcome.Status.ToString().ToLowerInvariant(), outcome.Files.Sum(f => f.Size));
        return outcome;
    }

    private async Task<UploadOutcome> UploadCoreAsync(UploadForm form, IndexUser user, CancellationToken cancellationToken)
    {
        var facts = validator.CheckForm(form);
        var content = form.Content ?? throw UploadRejectedException.Invalid("Upload payload does not have a file.");
        if (user.Refusal(AccessRight.Upload, facts.Project) is { } forbidden)
        {
            throw new UploadRejectedException(UploadStatus.Forbidden, forbidden);
        }

        if (statuses.UploadRefusal(facts.Project) is { } refusal)
        {
            throw new UploadRejectedException(UploadStatus.Forbidden, refusal);
        }

        var filename = validator.CheckFilename(facts, content.ClientFilename);
        if (content.Size == 0)
        {
            throw UploadRejectedException.Invalid("Upload payload is empty.");
        }

        UploadValidator.CheckDigests(form, content);
        var provenance = form.Get("attestations") is { } field ? VerifyAttestations(field, filename.Filename, content.Digests.Sha256, user) : null;

        var overwrite = releases.MayOverwrite(facts.Project);
        var listing = await repository.GetProjectAsync(facts.Project, cancellationToken);
        var existing = listing?.Files.FirstOrDefault(f => f.Filename == filename.Filename);
        var rule = existing is null ? AddOutcome.Created : ExistingFileRule.Decide(existing.Digests.Sha256, content.Digests.Sha256, overwrite);
        if (rule == AddOutcome.Replaced && user.Refusal(AccessRight.Maintain, facts.Project) is { } mayNotReplace)
        {
            throw new UploadRejectedException(UploadStatus.Forbidden, mayNotReplace);
        }

        if (existing is not null && Settled(rule, existing, content) is { } settled)
        {
            return settled;
        }

        // After the duplicate check, as on PyPI: re-sending a file of a closed release still answers as before.
        if (releases.ClosedReleaseRefusal(listing?.Files.Where(f => SameRelease(f.Version, filename.Version)) ?? []) is { } closed)
        {
            throw UploadRejectedException.Invalid(closed);
        }

        if (listing?.Files.FirstOrDefault(f => f.Filename != filename.Filename && f.Digests.Sha256 == content.Digests.Sha256) is { } twin)
        {
            throw UploadRejectedException.Invalid($"File already exists ('{twin.Filename}', with the same contents as '{filename.Filename}').");
        }

        if (filename.Kind == DistributionKind.Sdist && listing is not null
            && listing.Files.Any(f => f.Kind == DistributionKind.Sdist && f.Filename != filename.Filename && SameRelease(f.Version, filename.Version)))
        {
            throw UploadRejectedException.Invalid("Only one sdist may be uploaded per release.");
        }

        var archive = await validator.CheckArchiveAsync(facts, filename, content, cancellationToken);
        var coreMetadata = filename.Kind == DistributionKind.Wheel ? archive.MetadataBytes : null;
        var file = new DistributionFile(
            facts.Project,
            filename.Filename,
            filename.Version.ToString(),
            filename.Kind,
            content.Size,
            content.Digests,
            time.GetUtcNow(),
            DisplayName: archive.Metadata.Name,
            RequiresPython: archive.Metadata.RequiresPython,
            CoreMetadataSha256: coreMetadata is null ? null : Convert.ToHexStringLower(SHA256.HashData(coreMetadata)),
            Uploader: ReferenceEquals(user, IndexUser.Anonymous) ? null : user.Name,
            ProvenanceSha256: provenance is null ? null : Convert.ToHexStringLower(SHA256.HashData(provenance.Json)));

        AddOutcome added;
        try
        {
            added = await repository.AddAsync(new NewDistribution(file, content.Path, coreMetadata, provenance?.Json), overwrite && user.May(AccessRight.Maintain, facts.Project), cancellationToken);
        }
        catch
        {
            // The storage may have failed after the entry was written (an answer lost): pages must not hide it.
            await cache.InvalidateProjectAsync(facts.Project, CancellationToken.None);
            throw;
        }

        if (Settled(added, file, content) is { } raced)
        {
            return raced;
        }

        await cache.InvalidateProjectAsync(facts.Project, cancellationToken);
        await audit.RecordAsync(user, AuditChange.OfFile(added == AddOutcome.Replaced ? AuditAction.Overwrite : AuditAction.Upload, file));
        logger.LogInformation("{User} uploaded {Filename} ({Size} bytes, sha256 {Sha256}){Replaced}", user.Name, file.Filename, file.Size, file.Digests.Sha256, added == AddOutcome.Replaced ? ", replacing the previous file" : "");
        return UploadOutcome.Ok(UploadStatus.Created, added == AddOutcome.Replaced ? $"Replaced {file.Filename}." : "", file);
    }

    /// <summary>PEP 740: every attestation must verify against the upload's trusted publisher, or the whole upload is refused.</summary>
    private VerifiedProvenance VerifyAttestations(string field, string filename, string sha256, IndexUser user)
    {
        try
        {
            var provenance = attestations.Verify(field, filename, sha256, user.Publisher);
            logger.LogInformation("Verified attestations ({Predicates}) for {Filename} from {Issuer}", string.Join(", ", provenance.PredicateTypes), filename, user.Publisher?.Issuer);
            return provenance;
        }
        catch (AttestationException e)
        {
            throw UploadRejectedException.Invalid(e.Message);
        }
    }

    /// <summary>The answer when the filename was taken (identical, or a conflict), or null when the upload goes on.</summary>
    private static UploadOutcome? Settled(AddOutcome outcome, DistributionFile file, StagedUpload content) => outcome switch
    {
        AddOutcome.Identical => UploadOutcome.Ok(UploadStatus.Identical, "File already exists with identical contents; nothing changed.", file),
        AddOutcome.Conflict => throw new UploadRejectedException(UploadStatus.Conflict, FileExists(file.Filename, content)),
        _ => null,
    };

    private static string FileExists(string filename, StagedUpload content) =>
        $"File already exists ('{filename}', with blake2_256 hash '{content.Digests.Blake2b256}').";

    private static bool SameRelease(string version, PackageVersion target) =>
        PackageVersion.TryParse(version, out var parsed) && parsed == target;
}
