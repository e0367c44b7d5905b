using PypiLocal.Core.Archives;
using PypiLocal.Protocol.Filenames;
using PypiLocal.Protocol.Metadata;
using PypiLocal.Protocol.Names;
using PypiLocal.Protocol.Versions;

namespace PypiLocal.Core.Publishing;

/// <summary>
/// The structure rules an upload must pass (docs/protocol.md#upload-checks, step 8), on what
/// <see cref="ArchiveReader"/> read under the limits: safe member paths, a wheel's single
/// <c>{name}-{version}.dist-info</c> with WHEEL, METADATA and RECORD, an sdist's single top directory with PKG-INFO.
/// </summary>
internal static class ArchiveValidator
{
    public static async Task<ArchiveFacts> CheckAsync(string path, DistributionFilename filename, ArchiveLimits limits, CancellationToken cancellationToken)
    {
        ArchiveContents contents;
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous))
        {
            try
            {
                contents = await ArchiveReader.ReadAsync(file, filename, limits, cancellationToken);
            }
            catch (ArchiveException e)
            {
                throw Invalid(e.Message);
            }
        }

        foreach (var member in contents.Members)
        {
            CheckMemberPath(member);
        }

        var metadata = filename.Kind == DistributionKind.Wheel ? CheckWheel(contents, filename) : CheckSdist(contents);
        return new ArchiveFacts(metadata, CoreMetadata.Parse(metadata));
    }

    private static byte[] CheckWheel(ArchiveContents contents, DistributionFilename filename)
    {
        if (contents.DistInfoDirectories is not [var distInfo])
        {
            throw Invalid($"a wheel must have exactly one .dist-info directory; this one has {contents.DistInfoDirectories.Count}.");
        }

        var stem = distInfo[..^".dist-info".Length];
        var dash = stem.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0
            || ProjectName.Normalize(stem[..dash]) != filename.Project
            || !PackageVersion.TryParse(stem[(dash + 1)..], out var version)
            || version != filename.Version)
        {
            throw Invalid($"the wheel's '{distInfo}' directory does not match its filename '{filename.Filename}'.");
        }

        foreach (var required in new[] { "WHEEL", "RECORD" })
        {
            if (!contents.Members.Contains($"{distInfo}/{required}"))
            {
                throw Invalid($"the wheel has no {distInfo}/{required}.");
            }
        }

        return contents.Metadata ?? throw Invalid($"the wheel has no {distInfo}/METADATA.");
    }

    private static byte[] CheckSdist(ArchiveContents contents)
    {
        var tops = contents.TopLevelNames;
        if (tops.Count != 1)
        {
            throw Invalid($"an sdist must have a single top-level directory; this one has {tops.Count}.");
        }

        return contents.Metadata ?? throw Invalid($"the sdist has no {tops[0]}/PKG-INFO.");
    }

    private static void CheckMemberPath(string name)
    {
        if (name.StartsWith('/') || name.Contains('\\', StringComparison.Ordinal) || name.Split('/').Any(p => p == ".."))
        {
            throw Invalid($"the archive member '{name}' has an unsafe path.");
        }
    }

    private static UploadRejectedException Invalid(string what) => UploadRejectedException.Invalid($"Invalid distribution file: {what}");
}
