using PypiLocal.Core.Pages;

namespace PypiLocal.Core.Caching;

/// <summary>A rendered response body with its Content-Type and strong, quoted ETag, or the answer that there is no such page.</summary>
/// <param name="Expires">
/// When the page stops being current by itself, or null for never (it changes only by invalidation): an upstream
/// page's revalidation time, or when a release policy lets a hidden file through.
/// </param>
/// <param name="Stamp">The release-policy settings it was rendered under (<c>ReleasePolicy.Stamp</c>), or null.</param>
public sealed record CachedPage(byte[] Body, string ContentType, string ETag, DateTimeOffset? Expires = null, string? Stamp = null)
{
    private const string MissingContentType = "application/x-pypilocal-missing";

    // Get-only, so no `with` can give a page a body its flag below does not describe.
    public byte[] Body { get; } = Body;

    /// <summary>
    /// Whether the body holds provenance links under <see cref="ProvenanceLinks.PlaceholderOrigin"/> that each
    /// response completes. Looked for once, when the page enters this process, so a page without provenance costs
    /// nothing more per response: it is written as it is.
    /// </summary>
    public bool LinksNeedOrigin { get; } = ProvenanceLinks.HasPlaceholder(Body);

    /// <summary>
    /// Kept in place of a page whose project or version does not exist, so that repeated lookups of a name this
    /// index does not have (every <c>--extra-index-url</c> install asks) cost no storage request. An upload of that
    /// name invalidates it like any page.
    /// </summary>
    public static CachedPage Missing { get; } = new([], MissingContentType, "");

    public bool IsMissing => ContentType == MissingContentType;
}
