namespace PypiLocal.Core.Storage;

/// <summary>A small object's whole content and the quoted ETag of exactly that version (for a later If-Match write).</summary>
public sealed record VersionedContent(byte[] Content, string ETag);
