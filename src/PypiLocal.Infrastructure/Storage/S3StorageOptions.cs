using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace PypiLocal.Infrastructure.Storage;

/// <summary>
/// The S3 bucket: section <c>Storage:S3</c>, plus <see cref="Endpoint"/>, <see cref="AccessKey"/> and
/// <see cref="SecretKey"/>, which come from <c>ConnectionStrings:storage</c> when set there.
/// </summary>
public sealed class S3StorageOptions
{
    public const string SectionName = "Storage:S3";

    /// <summary>The S3 API endpoint the nodes use, e.g. http://minio:9000.</summary>
    public Uri? Endpoint { get; set; }

    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    [Required]
    [RegularExpression("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", ErrorMessage = "Storage:S3:Bucket must be a valid S3 bucket name (3-63 lowercase letters, digits, dots and dashes).")]
    public string Bucket { get; set; } = "pypilocal";

    [Required]
    public string Region { get; set; } = "us-east-1";

    /// <summary>Path-style URLs (http://host/bucket/key), which MinIO, Ceph and moto need; false for virtual-hosted style.</summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>The endpoint clients can reach, for presigned URLs; defaults to <see cref="Endpoint"/>.</summary>
    public Uri? PublicEndpoint { get; set; }

    public S3DownloadMode DownloadMode { get; set; } = S3DownloadMode.Redirect;

    /// <summary>Create the bucket on first use when it is missing.</summary>
    public bool CreateBucket { get; set; } = true;

    /// <summary>
    /// Presigned URLs are signed at the start of a fixed window, so the same URL comes back within a window
    /// (client caches keep working); each URL stays valid for at least one full window.
    /// </summary>
    public TimeSpan PresignWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long to wait for the answer to a request without a body (GET, HEAD, LIST, DELETE), retries included,
    /// before the store counts as unavailable; each attempt gets a third. Requests with a body get this third
    /// plus their transfer at 1 MiB/s per attempt.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Refuse to start on a store that ignores conditional writes (checked at start); off, such a store only
    /// gets a loud warning, which is enough for a single node.
    /// </summary>
    public bool RequireConditionalWrites { get; set; }

    /// <summary>Objects larger than this go up as multipart uploads of parts this size (S3: 5 MiB minimum).</summary>
    [Range(5L * 1024 * 1024, 5L * 1024 * 1024 * 1024)]
    public long PartSize { get; set; } = 16L * 1024 * 1024;
}

/// <summary>Checks the attributes of <see cref="S3StorageOptions"/> with code generated at build time, not by reflection at start.</summary>
[OptionsValidator]
internal sealed partial class S3StorageOptionsAttributes : IValidateOptions<S3StorageOptions>;
