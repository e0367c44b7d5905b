namespace PypiLocal.Core.Storage;

/// <summary>
/// The object store cannot be reached or answers with a server error. The request may succeed later,
/// so the API answers 503 with Retry-After instead of 500 (an IOException, which the API already maps to 503).
/// </summary>
public sealed class StorageUnavailableException(string message, Exception? inner = null) : IOException(message, inner)
{
    /// <summary>A suggested delay before retrying.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(5);
}
