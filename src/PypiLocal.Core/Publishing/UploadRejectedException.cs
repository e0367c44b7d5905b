namespace PypiLocal.Core.Publishing;

/// <summary>A check refused the upload; the upload service turns it into an <see cref="UploadOutcome"/>.</summary>
internal sealed class UploadRejectedException(UploadStatus status, string message) : Exception(message)
{
    public UploadStatus Status { get; } = status;

    public static UploadRejectedException Invalid(string message) => new(UploadStatus.Invalid, message);
}
