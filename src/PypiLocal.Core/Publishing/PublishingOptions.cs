using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Archives;

namespace PypiLocal.Core.Publishing;

/// <summary>Upload limits and rules (section "Publishing").</summary>
public sealed class PublishingOptions
{
    public const string SectionName = "Publishing";

    /// <summary>Replace a file of the same name with other bytes instead of answering 409 (pypiserver's --overwrite).</summary>
    public bool Overwrite { get; set; }

    /// <summary>Largest distribution file accepted (413 beyond). Compiled wheels can be large, so 1 GiB by default.</summary>
    [Range(1, long.MaxValue, ErrorMessage = "Publishing:MaxFileSizeBytes must be positive.")]
    public long MaxFileSizeBytes { get; set; } = 1L << 30;

    /// <summary>Largest METADATA/PKG-INFO read from an archive, and largest total of the form's text fields.</summary>
    [Range(1024, int.MaxValue, ErrorMessage = "Publishing:MaxMetadataBytes must be between {1} and {2}.")]
    public int MaxMetadataBytes { get; set; } = ArchiveLimits.Default.MaxMetadataBytes;

    /// <summary>Uncompressed-to-compressed ratio beyond which an archive is refused as a zip bomb.</summary>
    [Range(2, 100_000, ErrorMessage = "Publishing:MaxCompressionRatio must be between {1} and {2}.")]
    public int MaxCompressionRatio { get; set; } = ArchiveLimits.Default.MaxCompressionRatio;

    /// <summary>Largest total expanded size of an archive's members, whatever the ratio.</summary>
    [Range(1L << 20, long.MaxValue, ErrorMessage = "Publishing:MaxExpandedBytes must be at least {1}.")]
    public long MaxExpandedBytes { get; set; } = ArchiveLimits.Default.MaxExpandedBytes;

    /// <summary>Most members an archive may have.</summary>
    [Range(16, int.MaxValue, ErrorMessage = "Publishing:MaxArchiveEntries must be at least {1}.")]
    public int MaxArchiveEntries { get; set; } = ArchiveLimits.Default.MaxEntries;

    /// <summary>Largest zip central directory read (about 300 bytes a member).</summary>
    [Range(64 * 1024, int.MaxValue, ErrorMessage = "Publishing:MaxCentralDirectoryBytes must be at least {1}.")]
    public int MaxCentralDirectoryBytes { get; set; } = ArchiveLimits.Default.MaxCentralDirectoryBytes;

    /// <summary>A private index usually holds locally built wheels (linux_x86_64), so any platform tag is accepted by default.</summary>
    public bool AllowAnyPlatform { get; set; } = true;

    /// <summary>Platform tag patterns accepted when <see cref="AllowAnyPlatform"/> is off; a trailing '*' matches any suffix (PyPI's list by default).</summary>
    public List<string> AllowedPlatformTags { get; set; } =
        ["any", "win32", "win_*", "manylinux*", "musllinux_*", "macosx_*", "ios_*", "android_*", "pyemscripten_*"];

    /// <summary>Whether versions with a local label (1.0+build.1) are accepted; PyPI refuses them, a private index may not.</summary>
    public bool AllowLocalVersions { get; set; } = true;

    /// <summary>
    /// Refuse un-normalized filenames (Real.Demo-1.0.tar.gz, PyYAML-6.0-cp311-….whl) as PyPI does. Off by default:
    /// setuptools before 75.8 (Debian's included) and many <c>pip wheel</c> builds still write them.
    /// </summary>
    public bool RequireNormalizedFilenames { get; set; }

    /// <summary>
    /// Days after its first file that a release stops taking new files, as PyPI's 14 since July 2026; 0 (the
    /// default) keeps releases open. Re-sending a file already there still answers as before.
    /// </summary>
    [Range(0, 36_500, ErrorMessage = "Publishing:CloseReleasesAfterDays must be between {1} and {2} (0 keeps releases open).")]
    public int CloseReleasesAfterDays { get; set; }

    /// <summary>
    /// Projects whose files may be yanked but never deleted nor overwritten: names or patterns with <c>*</c>
    /// (<c>corp-*</c>), <c>*</c> for the whole index. Empty by default.
    /// </summary>
    public List<string> YankOnlyProjects { get; set; } = [];

    /// <summary>Where uploads are staged while they are hashed and checked; null means &lt;temp&gt;/pypilocal-uploads.</summary>
    public string? StagingDirectory { get; set; }

    /// <summary>
    /// Most uploads a node stages at once; more wait up to <see cref="UploadSlotWait"/> for one to finish, then
    /// answer 503 with Retry-After. With <see cref="MaxFileSizeBytes"/> it bounds the staging directory's use.
    /// </summary>
    [Range(1, 10_000, ErrorMessage = "Publishing:MaxConcurrentUploads must be between {1} and {2}.")]
    public int MaxConcurrentUploads { get; set; } = 4;

    /// <summary>
    /// How long an upload waits for a staging slot before 503. Waiting costs no memory: the client's body stays
    /// in its socket (Kestrel reads ahead a bounded buffer), so a burst of CI uploads queues instead of failing.
    /// </summary>
    public TimeSpan UploadSlotWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The staging directory's capacity (a Kubernetes emptyDir's sizeLimit, a tmpfs), when it has one: the node
    /// refuses to start unless <see cref="MaxFileSizeBytes"/> × <see cref="MaxConcurrentUploads"/> fits in it.
    /// </summary>
    public long? StagingVolumeBytes { get; set; }

    /// <summary>The limits every archive read obeys, from these settings.</summary>
    public ArchiveLimits ToArchiveLimits() => new()
    {
        MaxMetadataBytes = MaxMetadataBytes,
        MaxCompressionRatio = MaxCompressionRatio,
        MaxExpandedBytes = MaxExpandedBytes,
        MaxEntries = MaxArchiveEntries,
        MaxCentralDirectoryBytes = MaxCentralDirectoryBytes,
    };

    public string ResolveStagingDirectory() =>
        string.IsNullOrWhiteSpace(StagingDirectory) ? Path.Combine(Path.GetTempPath(), "pypilocal-uploads") : StagingDirectory;
}

/// <summary>Checks the attributes of <see cref="PublishingOptions"/> with code generated at build time, not by reflection at start.</summary>
[OptionsValidator]
internal sealed partial class PublishingOptionsAttributes : IValidateOptions<PublishingOptions>;
