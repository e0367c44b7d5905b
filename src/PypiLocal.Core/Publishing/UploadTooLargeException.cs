namespace PypiLocal.Core.Publishing;

/// <summary>An uploaded file or form passed a configured size limit while it was being read.</summary>
public sealed class UploadTooLargeException(string message) : Exception(message);
