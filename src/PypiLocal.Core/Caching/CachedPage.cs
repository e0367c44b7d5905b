namespace PypiLocal.Core.Caching;

/// <summary>A rendered response body with its Content-Type and strong, quoted ETag.</summary>
public sealed record CachedPage(byte[] Body, string ContentType, string ETag);
