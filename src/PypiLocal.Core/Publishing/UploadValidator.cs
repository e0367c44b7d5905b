using System.Globalization;
using Microsoft.Extensions.Options;
using PypiLocal.Protocol.Filenames;
using PypiLocal.Protocol.Names;
using PypiLocal.Protocol.Versions;

namespace PypiLocal.Core.Publishing;

/// <summary>
/// The upload checks of docs/protocol.md#upload-checks, one method per step so the service can run them in PyPI's
/// order. Each throws <see cref="UploadRejectedException"/> with a message that tells the user what to fix.
/// </summary>
public sealed class UploadValidator(IOptions<PublishingOptions> options)
{
    private static readonly HashSet<string> MetadataVersions = ["1.0", "1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6"];

    /// <summary>Step 2: protocol version and the form's own fields.</summary>
    public UploadFormFacts CheckForm(UploadForm form)
    {
        var protocol = form.Get("protocol_version");
        if (protocol is not null && protocol != "1")
        {
            throw UploadRejectedException.Invalid("Unknown protocol version.");
        }

        var metadataVersion = form.Get("metadata_version");
        if (metadataVersion is null)
        {
            throw UploadRejectedException.Invalid("'' is an invalid value for Metadata-Version. Error: This field is required.");
        }

        if (!MetadataVersions.Contains(metadataVersion))
        {
            throw UploadRejectedException.Invalid($"'{metadataVersion}' is an invalid value for Metadata-Version. Error: Use a known metadata version.");
        }

        var name = form.Get("name")
            ?? throw UploadRejectedException.Invalid("'' is an invalid value for Name. Error: This field is required.");
        if (!ProjectName.IsValid(name))
        {
            throw UploadRejectedException.Invalid($"'{name}' is an invalid value for Name. Error: Start and end with a letter or numeral containing only ASCII numeric and '.', '_' and '-'.");
        }

        var versionText = form.Get("version")
            ?? throw UploadRejectedException.Invalid("'' is an invalid value for Version. Error: This field is required.");
        if (!PackageVersion.TryParse(versionText, out var version))
        {
            throw UploadRejectedException.Invalid($"'{versionText}' is an invalid value for Version. Error: Use a version that complies with PEP 440.");
        }

        if (version.IsLocal && !options.Value.AllowLocalVersions)
        {
            throw UploadRejectedException.Invalid($"'{versionText}' is an invalid value for Version. Error: Local versions are not allowed on this index.");
        }

        var fileType = form.Get("filetype");
        if (fileType is not ("bdist_wheel" or "sdist"))
        {
            throw UploadRejectedException.Invalid($"'{fileType}' is an invalid value for filetype. Error: Use 'bdist_wheel' or 'sdist'.");
        }

        var pyVersion = form.Get("pyversion");
        if (fileType == "bdist_wheel" && pyVersion is null)
        {
            throw UploadRejectedException.Invalid("'' is an invalid value for Python version. Error: Python version is required for binary distribution uploads.");
        }

        if (fileType == "sdist" && pyVersion is not null && pyVersion != "source")
        {
            throw UploadRejectedException.Invalid($"'{pyVersion}' is an invalid value for Python version. Error: Use 'source' as Python version for an sdist.");
        }

        if (form.Get("summary") is { Length: > 512 })
        {
            throw UploadRejectedException.Invalid("'summary' is an invalid value for Summary. Error: Ensure this field has no more than 512 characters.");
        }

        return new UploadFormFacts(ProjectName.Normalize(name), name, version, fileType, pyVersion, metadataVersion);
    }

    /// <summary>Steps 5 and 11: filename characters, extension against filetype, banned types, name, version and tags.</summary>
    public DistributionFilename CheckFilename(UploadFormFacts facts, string filename)
    {
        if (filename.Length == 0 || filename.Any(c => c is '/' or '\\' || c < 32 || c == 127))
        {
            throw UploadRejectedException.Invalid("Cannot upload a file with '/', '\\' or control characters in its name.");
        }

        if (FileTypes.IsBanned(filename))
        {
            throw UploadRejectedException.Invalid($"Invalid file extension: '{filename}' is a banned file type. Use .whl or .tar.gz (PEP 527, PEP 715).");
        }

        var extension = facts.FileType == "sdist" ? ".tar.gz" : ".whl";
        if (!filename.EndsWith(extension, StringComparison.Ordinal))
        {
            throw UploadRejectedException.Invalid($"Invalid file extension: {(facts.FileType == "sdist" ? "an sdist" : "a bdist_wheel")} file must end with {extension} (PEP 527, PEP 625), not '{filename}'.");
        }

        if (!DistributionFilename.TryParse(filename, out var parsed))
        {
            throw UploadRejectedException.Invalid($"Invalid distribution filename '{filename}'.");
        }

        var prefix = ProjectName.ToFilenameComponent(facts.Name);
        if (parsed.Project != facts.Project)
        {
            throw UploadRejectedException.Invalid($"Start filename for '{facts.Name}' with '{prefix}'.");
        }

        if (parsed.Version != facts.Version)
        {
            throw UploadRejectedException.Invalid($"Version in filename should be '{facts.Version}' not '{parsed.VersionPart}'.");
        }

        if (options.Value.RequireNormalizedFilenames && (parsed.NamePart != prefix || parsed.IsLegacy))
        {
            var expected = parsed.Kind == DistributionKind.Sdist ? $"{prefix}-{facts.Version}.tar.gz" : $"{prefix}-{parsed.VersionPart}-...whl";
            throw UploadRejectedException.Invalid($"Filename '{filename}' is not in normalized form: expected '{expected}' (PEP 625, PEP 491).");
        }

        if (parsed.Kind == DistributionKind.Wheel && !options.Value.AllowAnyPlatform)
        {
            foreach (var tag in (parsed.PlatformTag ?? "").Split('.'))
            {
                if (!options.Value.AllowedPlatformTags.Any(p => MatchesPattern(tag, p)))
                {
                    throw UploadRejectedException.Invalid($"Binary wheel '{filename}' has an unsupported platform tag '{tag}'.");
                }
            }
        }

        return parsed;
    }

    /// <summary>Step 7: at least one digest, and every digest sent matches the bytes received.</summary>
    public static void CheckDigests(UploadForm form, StagedUpload content)
    {
        var md5 = form.Get("md5_digest");
        var sha256 = form.Get("sha256_digest");
        var blake2 = form.Get("blake2_256_digest");
        if (md5 is null && sha256 is null && blake2 is null)
        {
            throw UploadRejectedException.Invalid("Include at least one message digest.");
        }

        if ((md5 is not null && NormalizeMd5(md5) != content.Digests.Md5)
            || (sha256 is not null && !sha256.Equals(content.Digests.Sha256, StringComparison.OrdinalIgnoreCase))
            || (blake2 is not null && !blake2.Equals(content.Digests.Blake2b256, StringComparison.OrdinalIgnoreCase)))
        {
            throw UploadRejectedException.Invalid("The digest supplied does not match a digest calculated from the uploaded file.");
        }
    }

    /// <summary>Step 10 and the metadata cross-check: the archive's structure, then its Name and Version against the form.</summary>
    public async Task<ArchiveFacts> CheckArchiveAsync(UploadFormFacts facts, DistributionFilename filename, StagedUpload content, CancellationToken cancellationToken)
    {
        var archive = await ArchiveValidator.CheckAsync(content.Path, filename, options.Value.ToArchiveLimits(), cancellationToken);
        var metadataName = archive.Metadata.Name;
        if (metadataName is null || ProjectName.Normalize(metadataName) != facts.Project)
        {
            throw UploadRejectedException.Invalid($"The name in the file's metadata ('{metadataName}') does not match the project '{facts.Name}'.");
        }

        if (!PackageVersion.TryParse(archive.Metadata.Version, out var metadataVersion) || metadataVersion != facts.Version)
        {
            throw UploadRejectedException.Invalid($"The version in the file's metadata ('{archive.Metadata.Version}') does not match the version '{facts.Version}'.");
        }

        return archive;
    }

    // Warehouse compares md5 as hex, the docs say urlsafe base64: accept both.
    private static string NormalizeMd5(string value)
    {
        if (value.Length == 32 && value.All(Uri.IsHexDigit))
        {
            return value.ToLower(CultureInfo.InvariantCulture);
        }

        try
        {
            var base64 = value.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            return Convert.ToHexStringLower(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return value;
        }
    }

    private static bool MatchesPattern(string tag, string pattern) =>
        pattern.EndsWith('*') ? tag.StartsWith(pattern[..^1], StringComparison.Ordinal) : tag == pattern;
}
