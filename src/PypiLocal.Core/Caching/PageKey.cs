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

    /// <summary>A stable string form, e.g. <c>root/json</c>, <c>project/foo-bar/html</c> or <c>project/foo-bar/view/web</c>.</summary>
    public override string ToString() => $"{(Project is null ? "root" : "project/" + Project)}/{(View is not null ? "view/" + View : MediaType switch
    {
        SimpleMediaType.JsonV1 => "json",
        SimpleMediaType.HtmlV1 => "html-v1",
        _ => "html",
    })}";
}
