using System.Formats.Tar;
using System.IO.Compression;
using PypiLocal.Core.IO;
using PypiLocal.Protocol.Filenames;

namespace PypiLocal.Core.Archives;

/// <summary>
/// The one reader of distribution archives, for every path that opens one: uploads (whose structure rules are
/// checked on its result by the upload validator), folders, import, reindex, and upstream files. It lists the
/// members and reads the core metadata under <see cref="ArchiveLimits"/>, so a zip bomb, a huge central directory
/// or a 1 GB METADATA is refused without being expanded. Zips must use STORED or DEFLATE only.
/// </summary>
public static class ArchiveReader
{
    /// <summary>
    /// Reads <paramref name="file"/> (seekable, positioned anywhere) as the archive <paramref name="filename"/> names:
    /// a zip for wheels and legacy <c>.zip</c> sdists, a tar.gz otherwise. Throws <see cref="ArchiveException"/>.
    /// </summary>
    public static async Task<ArchiveContents> ReadAsync(Stream file, DistributionFilename filename, ArchiveLimits limits, CancellationToken cancellationToken)
    {
        var isZip = filename.Kind == DistributionKind.Wheel || filename.Filename.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);
        try
        {
            return isZip
                ? await ReadZipAsync(file, filename.Kind, limits, cancellationToken)
                : await ReadTarGzAsync(file, limits, cancellationToken);
        }
        catch (Exception e) when (IsCorruption(e))
        {
            throw new ArchiveException(
                isZip ? $"the {(filename.Kind == DistributionKind.Wheel ? "wheel" : "sdist")} is not a valid zip archive." : "the sdist is not a valid .tar.gz archive.",
                e);
        }
    }

    private static async Task<ArchiveContents> ReadZipAsync(Stream file, DistributionKind kind, ArchiveLimits limits, CancellationToken cancellationToken)
    {
        var methods = ZipCentralDirectory.ReadMethods(file, limits);
        if (methods.FirstOrDefault(m => m.Method is not (0 or 8)) is { Name: not null } bad)
        {
            throw new ArchiveException($"'{bad.Name}' uses zip compression method {bad.Method}; only STORED and DEFLATE are allowed.");
        }

        file.Position = 0;
        await using var zip = await ZipArchive.CreateAsync(file, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, cancellationToken);
        var expanded = checked(zip.Entries.Sum(e => e.Length));
        if (expanded > limits.MaxExpandedFor(file.Length))
        {
            throw limits.ExpansionRefused(file.Length);
        }

        var members = zip.Entries.Select(e => e.FullName).ToList();
        var metadata = kind == DistributionKind.Wheel
            ? ArchiveContents.DistInfoDirectoriesOf(members) is [var distInfo] ? zip.GetEntry($"{distInfo}/METADATA") : null
            : zip.Entries.FirstOrDefault(e => ArchiveContents.IsPkgInfo(e.FullName));
        if (metadata is null)
        {
            return new ArchiveContents(members, null);
        }

        CheckMetadataSize(metadata.Length, limits);
        await using var stream = await metadata.OpenAsync(cancellationToken);
        return new ArchiveContents(members, await ReadMetadataAsync(stream, limits, cancellationToken));
    }

    private static async Task<ArchiveContents> ReadTarGzAsync(Stream file, ArchiveLimits limits, CancellationToken cancellationToken)
    {
        var members = new List<string>();
        byte[]? metadata = null;
        var compressed = file.Length;
        await using var gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
        await using var bounded = new BoundedReadStream(gzip, limits.MaxExpandedFor(compressed), () => limits.ExpansionRefused(compressed));
        await using var tar = new TarReader(bounded);
        while (await tar.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
            {
                continue;
            }

            var name = (entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name).TrimEnd('/');
            if (name.Length == 0)
            {
                continue;
            }

            if (members.Count == limits.MaxEntries)
            {
                throw new ArchiveException($"the archive has more than {limits.MaxEntries} members.");
            }

            members.Add(name);
            if (metadata is null && ArchiveContents.IsPkgInfo(name) && entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
            {
                CheckMetadataSize(entry.Length, limits);
                metadata = entry.DataStream is null ? [] : await ReadMetadataAsync(entry.DataStream, limits, cancellationToken);
            }
        }

        return new ArchiveContents(members, metadata);
    }

    private static void CheckMetadataSize(long declared, ArchiveLimits limits)
    {
        if (declared > limits.MaxMetadataBytes)
        {
            throw new ArchiveException($"the core metadata is larger than {limits.MaxMetadataBytes} bytes ({declared}).");
        }
    }

    private static async Task<byte[]> ReadMetadataAsync(Stream stream, ArchiveLimits limits, CancellationToken cancellationToken)
    {
        try
        {
            return await BoundedRead.ReadAtMostAsync(stream, limits.MaxMetadataBytes, cancellationToken)
                ?? throw new ArchiveException($"the core metadata is larger than {limits.MaxMetadataBytes} bytes.");
        }
        catch (InvalidDataException e)
        {
            throw new ArchiveException("the core metadata cannot be decompressed.", e);
        }
    }

    // What the framework's zip and tar readers throw on damaged or hostile input (found by fuzzing, not only
    // documented): a corrupt archive must become a clear refusal, never a 500.
    private static bool IsCorruption(Exception e) =>
        e is InvalidDataException or FormatException or EndOfStreamException or ArgumentException
            or OverflowException or NotSupportedException or InvalidOperationException;
}
