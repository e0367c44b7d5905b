using PypiLocal.Core.Auth;
using PypiLocal.Protocol.Simple;

namespace PypiLocal.Core.Caching;

/// <summary>
/// Identifies one rendered page: of the Simple API (the root when <see cref="Project"/> is null, or a project, in one
/// representation), or another <see cref="View"/> of the root or a project (a web page, the JSON API). Pages are
/// invalidated by scope: a project's change drops its own pages and the root's, whatever their view.
/// </summary>
public readonly record struct PageKey(string? Project, SimpleMediaType MediaType, string? View = null)
{
    public static PageKey Root(SimpleMediaType mediaType) => new(null, mediaType);

    public static PageKey ForProject(string project, SimpleMediaType mediaType) => new(project, mediaType);

    /// <summary>A page other than the Simple API's, named by what it shows, e.g. <c>web</c> or <c>pypi-json/1.0</c>.</summary>
    public static PageKey ForView(string? project, string view) => new(project, SimpleMediaType.TextHtml, view);

    /// <summary>
    /// This page as a reader of only some projects sees it (<paramref name="readers"/>): an entry of its own, one per
    /// read scope, in the same scope, so it is invalidated with this page. This page itself for every reader.
    /// </summary>
    public PageKey ReadableBy(ReadScope readers) =>
        readers.IsEverything ? this : this with { View = $"{View ?? Representation} readable-by {readers.Key}" };

    /// <summary>A stable string form, e.g. <c>root/json</c>, <c>project/foo-bar/html</c> or <c>project/foo-bar/view/web</c>.</summary>
    public override string ToString() => $"{(Project is null ? "root" : "project/" + Project)}/{(View is not null ? "view/" + View : Representation)}";

    private string Representation => MediaType switch
    {
        SimpleMediaType.JsonV1 => "json",
        SimpleMediaType.HtmlV1 => "html-v1",
        _ => "html",
    };
}
