using System.Buffers.Binary;

namespace PypiLocal.Core.Archives;

/// <summary>
/// Reads the compression method of every entry from a zip's central directory. ZipArchive hides the
/// method (and accepts Deflate64), while PyPI allows only STORED and DEFLATE. The entry count and the
/// directory's size are checked against the limits before the directory is read into memory.
/// </summary>
internal static class ZipCentralDirectory
{
    private const uint EndSignature = 0x06054b50;
    private const uint Zip64LocatorSignature = 0x07064b50;
    private const uint Zip64EndSignature = 0x06064b50;
    private const uint EntrySignature = 0x02014b50;

    /// <summary>
    /// Each entry's name and method; throws <see cref="InvalidDataException"/> on a malformed directory and
    /// <see cref="ArchiveException"/> past <see cref="ArchiveLimits.MaxEntries"/> or <see cref="ArchiveLimits.MaxCentralDirectoryBytes"/>.
    /// </summary>
    public static List<(string Name, ushort Method)> ReadMethods(Stream zip, ArchiveLimits limits)
    {
        var length = zip.Length;
        if (length < 22)
        {
            throw new InvalidDataException("Too short for a zip archive.");
        }

        var tailLength = (int)Math.Min(length, 22 + 65535);
        var tail = ReadAt(zip, length - tailLength, tailLength);
        var end = -1;
        for (var i = tail.Length - 22; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i)) == EndSignature)
            {
                end = i;
                break;
            }
        }

        if (end < 0)
        {
            throw new InvalidDataException("No end of central directory record.");
        }

        long count = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(end + 10));
        long size = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(end + 12));
        long offset = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(end + 16));
        if (count == 0xFFFF || size == 0xFFFFFFFF || offset == 0xFFFFFFFF)
        {
            var locatorAt = length - tailLength + end - 20;
            var locator = ReadAt(zip, locatorAt, 20);
            if (BinaryPrimitives.ReadUInt32LittleEndian(locator) != Zip64LocatorSignature)
            {
                throw new InvalidDataException("No zip64 locator.");
            }

            var record = ReadAt(zip, (long)BinaryPrimitives.ReadUInt64LittleEndian(locator.AsSpan(8)), 56);
            if (BinaryPrimitives.ReadUInt32LittleEndian(record) != Zip64EndSignature)
            {
                throw new InvalidDataException("No zip64 end of central directory record.");
            }

            count = (long)BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(32));
            size = (long)BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(40));
            offset = (long)BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(48));
        }

        if (count < 0 || count > limits.MaxEntries)
        {
            throw new ArchiveException($"the archive has more than {limits.MaxEntries} members.");
        }

        if (size > limits.MaxCentralDirectoryBytes)
        {
            throw new ArchiveException($"the archive's central directory is larger than {limits.MaxCentralDirectoryBytes} bytes.");
        }

        if (offset < 0 || size < 0 || offset + size > length)
        {
            throw new InvalidDataException("The central directory lies outside the file.");
        }

        var directory = ReadAt(zip, offset, (int)size);
        var entries = new List<(string, ushort)>();
        var at = 0;
        for (long i = 0; i < count; i++)
        {
            if (at + 46 > directory.Length || BinaryPrimitives.ReadUInt32LittleEndian(directory.AsSpan(at)) != EntrySignature)
            {
                throw new InvalidDataException("Malformed central directory entry.");
            }

            var method = BinaryPrimitives.ReadUInt16LittleEndian(directory.AsSpan(at + 10));
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(directory.AsSpan(at + 28));
            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(directory.AsSpan(at + 30));
            var commentLength = BinaryPrimitives.ReadUInt16LittleEndian(directory.AsSpan(at + 32));
            if (at + 46 + nameLength > directory.Length)
            {
                throw new InvalidDataException("Malformed central directory entry.");
            }

            entries.Add((System.Text.Encoding.UTF8.GetString(directory, at + 46, nameLength), method));
            at += 46 + nameLength + extraLength + commentLength;
        }

        return entries;
    }

    private static byte[] ReadAt(Stream stream, long position, int count)
    {
        var buffer = new byte[count];
        stream.Position = position;
        stream.ReadExactly(buffer);
        return buffer;
    }
}
