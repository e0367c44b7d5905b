namespace PypiLocal.Core.Caching;

/// <summary>A rendered response body with its Content-Type and strong, quoted ETag.</summary>
/// <param name="Expires">
/// When the page stops being current by itself, or null for never (it changes only by invalidation): an upstream
/// page's revalidation time, or when a release policy lets a hidden file through.
/// </param>
/// <param name="Stamp">The release-policy settings it was rendered under (<c>ReleasePolicy.Stamp</c>), or null.</param>
public sealed record CachedPage(byte[] Body, string ContentType, string ETag, DateTimeOffset? Expires = null, string? Stamp = null);
