using Microsoft.AspNetCore.Http.HttpResults;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using PypiLocal.Api.Commands;
using PypiLocal.Core.Catalog;

namespace PypiLocal.Api.Pypiserver;

/// <summary>
/// pypiserver's <c>--welcome</c>: an HTML file served as the home page, read once at start, with its template variables
/// filled in per request: <c>{{URL}}</c> (this server's root URL), <c>{{VERSION}}</c>, <c>{{NUMPKGS}}</c> (the number of
/// files), <c>{{PACKAGES}}</c> and <c>{{SIMPLE}}</c> (the paths of the package list and of the index). Values are
/// HTML-escaped, as pypiserver's templates do.
/// </summary>
internal sealed partial class WelcomePage(IOptions<PypiserverOptions> options)
{
    private readonly string? _template = options.Value.WelcomeFile is { } file ? File.ReadAllText(file) : null;

    public bool IsConfigured => _template is not null;

    public async Task<ContentHttpResult> RenderAsync(HttpContext context, IPackageRepository repository, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var root = $"{request.PathBase}/";
        var count = 0;
        foreach (var project in await repository.ListProjectsAsync(cancellationToken))
        {
            count += (await repository.GetProjectAsync(project.Project, cancellationToken))?.Files.Count ?? 0;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["URL"] = $"{request.Scheme}://{request.Host}{root}",
            ["VERSION"] = RunCommand.Version,
            ["NUMPKGS"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PACKAGES"] = root + "packages/",
            ["SIMPLE"] = root + "simple/",
        };
        var html = Variable().Replace(_template!, match => values.TryGetValue(match.Groups[1].Value, out var value) ? WebUtility.HtmlEncode(value) : match.Value);
        return TypedResults.Content(html + "\n", "text/html; charset=utf-8");
    }

    [GeneratedRegex(@"\{\{\s*(\w+)\s*\}\}")]
    private static partial Regex Variable();
}
