using PypiLocal.Protocol.Simple;

namespace PypiLocal.Core.Caching;

/// <summary>Identifies one rendered index page: the root (<see cref="Project"/> null) or a project, in one representation.</summary>
public readonly record struct PageKey(string? Project, SimpleMediaType MediaType)
{
    public static PageKey Root(SimpleMediaType mediaType) => new(null, mediaType);

    public static PageKey ForProject(string project, SimpleMediaType mediaType) => new(project, mediaType);

    /// <summary>A stable string form, e.g. <c>root/json</c> or <c>project/foo-bar/html</c>.</summary>
    public override string ToString() => $"{(Project is null ? "root" : "project/" + Project)}/{MediaType switch
    {
        SimpleMediaType.JsonV1 => "json",
        SimpleMediaType.HtmlV1 => "html-v1",
        _ => "html",
    }}";
}
