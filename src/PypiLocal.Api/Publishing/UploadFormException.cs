namespace PypiLocal.Api.Publishing;

/// <summary>The request body is not a readable upload form (400).</summary>
internal sealed class UploadFormException(string message) : Exception(message);
