namespace PypiLocal.Core.Caching;

/// <summary>A rendered response body with its Content-Type and strong, quoted ETag, or the answer that there is no such page.</summary>
public sealed record CachedPage(byte[] Body, string ContentType, string ETag)
{
    private const string MissingContentType = "application/x-pypilocal-missing";

    /// <summary>
    /// Kept in place of a page whose project or version does not exist, so that repeated lookups of a name this
    /// index does not have (every <c>--extra-index-url</c> install asks) cost no storage request. An upload of that
    /// name invalidates it like any page.
    /// </summary>
    public static CachedPage Missing { get; } = new([], MissingContentType, "");

    public bool IsMissing => ContentType == MissingContentType;
}
