using PypiLocal.Core.Catalog;

namespace PypiLocal.Core.Publishing;

/// <summary>The result of an upload or a management action: a status, a message for the user, and the files touched.</summary>
public sealed record UploadOutcome(UploadStatus Status, string Message, IReadOnlyList<DistributionFile> Files)
{
    public bool Succeeded => Status is UploadStatus.Created or UploadStatus.Identical or UploadStatus.Changed;

    public static UploadOutcome Fail(UploadStatus status, string message) => new(status, message, []);

    public static UploadOutcome Ok(UploadStatus status, string message, params DistributionFile[] files) => new(status, message, files);
}
