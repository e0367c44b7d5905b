namespace PypiLocal.Core.Publishing;

/// <summary>As many uploads as the staging volume holds are in progress on this node: try again shortly (503).</summary>
public sealed class UploadsBusyException(string message, TimeSpan retryAfter) : Exception(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
