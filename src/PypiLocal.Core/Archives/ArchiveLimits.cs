namespace PypiLocal.Core.Archives;

/// <summary>
/// The one set of limits every archive read obeys (uploads, folders, import, reindex, upstream files). Each is
/// checked before anything is allocated or expanded in proportion to what the archive claims. Set by the
/// <c>Publishing</c> section (<c>PublishingOptions.ToArchiveLimits</c>); the defaults live here.
/// </summary>
public sealed record ArchiveLimits
{
    /// <summary>Below this many expanded bytes the ratio is not checked: tiny files compress oddly.</summary>
    public const long RatioFloorBytes = 16L * 1024 * 1024;

    public static ArchiveLimits Default { get; } = new();

    /// <summary>Largest METADATA or PKG-INFO read from an archive.</summary>
    public int MaxMetadataBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Expanded-to-compressed ratio beyond which an archive is refused as a bomb.</summary>
    public int MaxCompressionRatio { get; init; } = 50;

    /// <summary>Largest total of all members' expanded sizes, whatever the ratio.</summary>
    public long MaxExpandedBytes { get; init; } = 16L * 1024 * 1024 * 1024;

    /// <summary>Most members (files and directories) an archive may have.</summary>
    public int MaxEntries { get; init; } = 100_000;

    /// <summary>Largest zip central directory read (about 300 bytes a member).</summary>
    public int MaxCentralDirectoryBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>How many bytes an archive of <paramref name="compressedBytes"/> may expand to.</summary>
    public long MaxExpandedFor(long compressedBytes) =>
        Math.Min(MaxExpandedBytes, Math.Max(RatioFloorBytes, (long)MaxCompressionRatio * Math.Max(compressedBytes, 1)));

    /// <summary>The refusal for an archive that expands past <see cref="MaxExpandedFor"/>.</summary>
    public ArchiveException ExpansionRefused(long compressedBytes) =>
        MaxExpandedFor(compressedBytes) == MaxExpandedBytes
            ? new ArchiveException($"the archive expands to more than {MaxExpandedBytes} bytes.")
            : new ArchiveException($"the archive expands more than {MaxCompressionRatio} times its size (a zip bomb?).");
}
