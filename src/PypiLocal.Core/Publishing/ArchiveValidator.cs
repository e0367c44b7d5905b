using PypiLocal.Core.Inspection;
using System.Formats.Tar;
using System.IO.Compression;
using PypiLocal.Protocol.Filenames;
using PypiLocal.Protocol.Metadata;
using PypiLocal.Protocol.Names;
using PypiLocal.Protocol.Versions;

namespace PypiLocal.Core.Publishing;

/// <summary>
/// The strict archive checks an upload must pass (docs/protocol.md#upload-checks, step 8), unlike the lenient
/// folder inspection: STORED/DEFLATE only, a compression-ratio limit, safe member paths, a wheel's single
/// <c>{name}-{version}.dist-info</c> with WHEEL, METADATA and RECORD, an sdist's single top directory with PKG-INFO.
/// Everything is bounded, so a zip bomb or a 1 GB METADATA is refused without being expanded.
/// </summary>
internal static class ArchiveValidator
{
    // Below this many expanded bytes the ratio is not worth refusing (tiny files compress oddly).
    private const long RatioFloorBytes = 16L * 1024 * 1024;

    public static async Task<ArchiveFacts> CheckAsync(string path, DistributionFilename filename, PublishingOptions options, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        var metadata = filename.Kind == DistributionKind.Wheel
            ? CheckWheel(file, filename, options)
            : await CheckSdistAsync(file, options, cancellationToken);
        return new ArchiveFacts(metadata, CoreMetadata.Parse(metadata));
    }

    private static byte[] CheckWheel(FileStream file, DistributionFilename filename, PublishingOptions options)
    {
        try
        {
            return CheckWheelUnguarded(file, filename, options);
        }
        catch (Exception e) when (ArchiveErrors.IsCorruption(e))
        {
            throw Invalid("the wheel is not a valid zip archive.");
        }
    }

    private static byte[] CheckWheelUnguarded(FileStream file, DistributionFilename filename, PublishingOptions options)
    {
        List<(string Name, ushort Method)> methods;
        try
        {
            methods = ZipCentralDirectory.ReadMethods(file);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
        {
            throw Invalid("the wheel is not a valid zip archive.");
        }

        if (methods.FirstOrDefault(m => m.Method is not (0 or 8)) is { Name: not null } bad)
        {
            throw Invalid($"'{bad.Name}' uses zip compression method {bad.Method}; only STORED and DEFLATE are allowed.");
        }

        file.Position = 0;
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException)
        {
            throw Invalid("the wheel is not a valid zip archive.");
        }

        using (zip)
        {
            long expanded = 0;
            foreach (var entry in zip.Entries)
            {
                CheckMemberPath(entry.FullName);
                expanded += entry.Length;
            }

            CheckRatio(expanded, file.Length, options);

            var distInfos = zip.Entries
                .Select(e => e.FullName.Split('/')[0])
                .Where(top => top.EndsWith(".dist-info", StringComparison.Ordinal) && top.Length > ".dist-info".Length)
                .Distinct(StringComparer.Ordinal)
                .ToList();
            if (distInfos.Count != 1)
            {
                throw Invalid($"a wheel must have exactly one .dist-info directory; this one has {distInfos.Count}.");
            }

            var distInfo = distInfos[0];
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
                if (zip.GetEntry($"{distInfo}/{required}") is null)
                {
                    throw Invalid($"the wheel has no {distInfo}/{required}.");
                }
            }

            var metadata = zip.GetEntry($"{distInfo}/METADATA")
                ?? throw Invalid($"the wheel has no {distInfo}/METADATA.");
            if (metadata.Length > options.MaxMetadataBytes)
            {
                throw TooLarge(metadata.Length, options);
            }

            using var stream = metadata.Open();
            return ReadBounded(stream, options);
        }
    }

    private static async Task<byte[]> CheckSdistAsync(FileStream file, PublishingOptions options, CancellationToken cancellationToken)
    {
        var limit = Math.Max((long)options.MaxCompressionRatio * file.Length, RatioFloorBytes);
        var tops = new HashSet<string>(StringComparer.Ordinal);
        byte[]? metadata = null;
        try
        {
            await using var gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
            await using var bounded = new BoundedReadStream(gzip, limit);
            await using var tar = new TarReader(bounded);
            while (await tar.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
                {
                    continue;
                }

                var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
                name = name.TrimEnd('/');
                if (name.Length == 0)
                {
                    continue;
                }

                CheckMemberPath(name);
                var parts = name.Split('/');
                tops.Add(parts[0]);
                if (parts.Length == 2 && parts[1] == "PKG-INFO" && entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && metadata is null)
                {
                    if (entry.Length > options.MaxMetadataBytes)
                    {
                        throw TooLarge(entry.Length, options);
                    }

                    metadata = entry.DataStream is null ? [] : ReadBounded(entry.DataStream, options);
                }
            }
        }
        catch (UploadTooLargeException)
        {
            throw Invalid($"the archive expands more than {options.MaxCompressionRatio} times its size (a zip bomb?).");
        }
        catch (Exception e) when (ArchiveErrors.IsCorruption(e))
        {
            throw Invalid("the sdist is not a valid .tar.gz archive.");
        }

        if (tops.Count != 1)
        {
            throw Invalid($"an sdist must have a single top-level directory; this one has {tops.Count}.");
        }

        return metadata ?? throw Invalid($"the sdist has no {tops.First()}/PKG-INFO.");
    }

    // What the framework's zip and tar readers throw on corrupt input (found by fuzzing, not only documented).
    private static void CheckMemberPath(string name)
    {
        if (name.StartsWith('/') || name.Contains('\\', StringComparison.Ordinal) || name.Split('/').Any(p => p == ".."))
        {
            throw Invalid($"the archive member '{name}' has an unsafe path.");
        }
    }

    private static void CheckRatio(long expanded, long compressed, PublishingOptions options)
    {
        if (expanded > RatioFloorBytes && expanded > (long)options.MaxCompressionRatio * Math.Max(compressed, 1))
        {
            throw Invalid($"the archive expands more than {options.MaxCompressionRatio} times its size (a zip bomb?).");
        }
    }

    private static byte[] ReadBounded(Stream stream, PublishingOptions options)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        try
        {
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (buffer.Length + read > options.MaxMetadataBytes)
                {
                    throw TooLarge(buffer.Length + read, options);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (InvalidDataException)
        {
            throw Invalid("the core metadata cannot be decompressed.");
        }

        return buffer.ToArray();
    }

    private static UploadRejectedException Invalid(string what) => UploadRejectedException.Invalid($"Invalid distribution file: {what}");

    private static UploadRejectedException TooLarge(long size, PublishingOptions options) =>
        UploadRejectedException.Invalid($"Invalid distribution file: the core metadata is larger than {options.MaxMetadataBytes} bytes ({size}).");
}
