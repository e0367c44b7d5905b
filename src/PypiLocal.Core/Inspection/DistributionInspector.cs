using System.Formats.Tar;
using System.IO.Compression;
using PypiLocal.Core.Hashing;
using PypiLocal.Protocol.Filenames;
using PypiLocal.Protocol.Metadata;

namespace PypiLocal.Core.Inspection;

/// <summary>
/// Reads a distribution file once: its SHA-256 and its core metadata (a wheel's single
/// <c>*.dist-info/METADATA</c>, an sdist's top-level <c>PKG-INFO</c>). Bounded: metadata larger than
/// <see cref="MaxMetadataBytes"/> is refused rather than read.
/// </summary>
public static class DistributionInspector
{
    public const int MaxMetadataBytes = 4 * 1024 * 1024;

    /// <summary>Inspects a local file. Throws <see cref="InspectionException"/> when it is not a readable distribution.</summary>
    public static async Task<DistributionInspection> InspectAsync(string path, DistributionFilename filename, CancellationToken cancellationToken, LinkHash linkHash = LinkHash.Sha256)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var digests = await FileDigester.ComputeAsync(file, cancellationToken, linkHash);
        file.Position = 0;
        var metadata = await ReadCoreMetadataAsync(file, filename, cancellationToken);
        var parsed = metadata is null ? null : CoreMetadata.Parse(metadata);
        return new DistributionInspection(filename, file.Length, digests, metadata, parsed?.Name, parsed?.Version, parsed?.RequiresPython);
    }

    /// <summary>Reads only the core metadata bytes (no hashing), or null when the file has none.</summary>
    public static async Task<byte[]?> ReadCoreMetadataAsync(string path, DistributionFilename filename, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 12, FileOptions.Asynchronous);
        return await ReadCoreMetadataAsync(file, filename, cancellationToken);
    }

    private static async Task<byte[]?> ReadCoreMetadataAsync(Stream file, DistributionFilename filename, CancellationToken cancellationToken)
    {
        try
        {
            return filename.Kind == DistributionKind.Wheel
                ? ReadWheelMetadata(file)
                : await ReadSdistMetadataAsync(file, filename, cancellationToken);
        }
        catch (Exception e) when (ArchiveErrors.IsCorruption(e))
        {
            throw new InspectionException($"{filename.Filename} is not a readable {(filename.Kind == DistributionKind.Wheel ? "wheel" : "sdist")} archive.", e);
        }
    }

    private static byte[]? ReadWheelMetadata(Stream file)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new InspectionException("The wheel is not a valid zip archive.", e);
        }

        using (zip)
        {
            var candidates = zip.Entries
                .Where(e => e.FullName.Count(c => c == '/') == 1
                    && e.FullName.EndsWith(".dist-info/METADATA", StringComparison.Ordinal))
                .ToList();
            if (candidates.Count == 0)
            {
                return null;
            }

            if (candidates.Count > 1)
            {
                throw new InspectionException("The wheel has more than one .dist-info directory.");
            }

            var entry = candidates[0];
            if (entry.Length > MaxMetadataBytes)
            {
                throw new InspectionException($"The wheel's METADATA is larger than {MaxMetadataBytes} bytes.");
            }

            using var stream = entry.Open();
            return ReadBounded(stream, MaxMetadataBytes, "METADATA");
        }
    }

    private static async Task<byte[]?> ReadSdistMetadataAsync(Stream file, DistributionFilename filename, CancellationToken cancellationToken)
    {
        if (filename.Filename.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            using var zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
            var entry = zip.Entries.FirstOrDefault(e => e.FullName.Count(c => c == '/') == 1 && e.FullName.EndsWith("/PKG-INFO", StringComparison.Ordinal));
            if (entry is null)
            {
                return null;
            }

            using var stream = entry.Open();
            return ReadBounded(stream, MaxMetadataBytes, "PKG-INFO");
        }

        try
        {
            await using var gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
            await using var tar = new TarReader(gzip);
            while (await tar.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                var name = entry.Name.TrimStart('.', '/');
                if (name.Count(c => c == '/') == 1 && name.EndsWith("/PKG-INFO", StringComparison.Ordinal) && entry.DataStream is not null)
                {
                    return ReadBounded(entry.DataStream, MaxMetadataBytes, "PKG-INFO");
                }
            }

            return null;
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new InspectionException("The sdist is not a valid .tar.gz archive.", e);
        }
    }

    private static byte[] ReadBounded(Stream stream, int limit, string what)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        try
        {
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    throw new InspectionException($"{what} is larger than {limit} bytes.");
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (InvalidDataException e)
        {
            throw new InspectionException($"{what} cannot be decompressed.", e);
        }

        return buffer.ToArray();
    }
}
