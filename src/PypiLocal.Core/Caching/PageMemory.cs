namespace PypiLocal.Core.Caching;

/// <summary>A page held in process memory, with the generation it was rendered under and when it was stored.</summary>
public readonly record struct PageEntry(CachedPage Page, long Generation, long StoredAt);

/// <summary>
/// Rendered pages in process memory within a byte budget (page bodies counted): the in-process cache and Redis's
/// near layer both keep their pages here.
/// </summary>
public sealed class PageMemory(long maxBytes) : BoundedMemory<PageKey, PageEntry>(maxBytes, entry => entry.Page.Body.Length)
{
    /// <summary>Removes the pages of <paramref name="project"/> and the root's, in every representation and view.</summary>
    public void RemoveProjectAndRoot(string project) => RemoveWhere(key => key.Project is null || key.Project == project);
}
