using PypiLocal.Core.Hashing;
using PypiLocal.Core.Indexing;

namespace PypiLocal.Core.Pages;

/// <summary>How links in index pages are written: the digest they carry and the path prefix they start with.</summary>
/// <param name="Hash">The digest in each file link's fragment (pypiserver's <c>--hash-algo</c>).</param>
/// <param name="BasePath">"" or "/prefix" (pypiserver's <c>--server-base-url</c>), put before every absolute path.</param>
public sealed record PageLinks(LinkHash Hash, string BasePath)
{
    public static readonly PageLinks Default = new(LinkHash.Sha256, "");

    public static PageLinks From(IndexOptions options) => new(options.LinkHash, options.BasePath);
}
