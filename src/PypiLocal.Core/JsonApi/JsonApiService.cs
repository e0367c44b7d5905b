using PypiLocal.Core.Catalog;
using PypiLocal.Core.Pages;
using PypiLocal.Core.Projects;
using PypiLocal.Core.Upstream;
using PypiLocal.Protocol.Filenames;
using PypiLocal.Protocol.Json;
using PypiLocal.Protocol.Versions;

namespace PypiLocal.Core.JsonApi;

/// <summary>
/// The PyPI JSON API subset tools read (docs/protocol.md#pypi-json-api): a project's latest release, or one release,
/// with every file. Core metadata is read only for the release shown. With release policies applied to local projects
/// (<c>Upstream:Policy:ApplyToLocal</c>), the files they hold back are left out here as on the Simple API.
/// </summary>
public sealed class JsonApiService(IPackageRepository repository, ProjectStatuses statuses, ReleasePolicy policy, TimeProvider time)
{
    /// <summary>
    /// The JSON for <c>/pypi/{project}/json</c> (<paramref name="version"/> null) or <c>/pypi/{project}/{version}/json</c>,
    /// or null when the project or version is unknown. <paramref name="baseUrl"/> makes file URLs absolute, as PyPI's are.
    /// </summary>
    public async Task<byte[]?> GetAsync(string project, string? version, string baseUrl, CancellationToken cancellationToken)
    {
        var listing = statuses.ServesFiles(project) ? await repository.GetProjectAsync(project, cancellationToken) : null;
        if (listing is null)
        {
            return null;
        }

        if (policy.AppliesToLocal)
        {
            var now = time.GetUtcNow();
            listing = listing with { Files = listing.Files.Where(f => policy.Evaluate(new FileFacts(project, f.Filename, f.UploadTime, null), now).Allowed).ToList() };
        }

        var releases = listing.Files
            .Where(f => PackageVersion.TryParse(f.Version, out _))
            .GroupBy(f => PackageVersion.Parse(f.Version))
            .Select(g => new PypiJsonRelease(g.Key, g.OrderBy(f => f.Filename, StringComparer.Ordinal).Select(f => ToJsonFile(f, baseUrl)).ToList(), null))
            .ToList();
        var model = new PypiJsonProject(
            project,
            listing.DisplayName,
            releases,
            LastSerial: listing.Files.Count == 0 ? 0 : listing.Files.Max(f => f.UploadTime).ToUnixTimeSeconds(),
            ProjectPageUrl: $"{baseUrl}/simple/{project}/");

        var shown = version is null ? LatestRelease.Pick(releases) : PypiJsonWriter.FindRelease(model, version);
        if (shown is null)
        {
            return null;
        }

        var releaseFiles = listing.Files.Where(f => PackageVersion.TryParse(f.Version, out var v) && v == shown.Version);
        var withMetadata = shown with { Metadata = await ReleaseMetadata.ReadAsync(repository, project, releaseFiles, cancellationToken) };
        model = model with { Releases = releases.Select(r => r == shown ? withMetadata : r).ToList() };
        return version is null ? PypiJsonWriter.WriteProject(model) : PypiJsonWriter.WriteRelease(model, withMetadata);
    }

    private static PypiJsonFile ToJsonFile(DistributionFile file, string baseUrl) => new(
        file.Filename,
        baseUrl + SimplePageRenderer.FileUrl(file.Project, file.Filename),
        file.Kind,
        file.Digests.Sha256,
        file.Digests.Md5,
        file.Digests.Blake2b256,
        file.Size,
        file.UploadTime,
        file.RequiresPython,
        file.CoreMetadataSha256,
        file.Yanked,
        file.YankedReason);
}
