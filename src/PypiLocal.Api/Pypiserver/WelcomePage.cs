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

    /// <summary>The page for a request that reached this server at <paramref name="request"/>'s address, counting the files of <paramref name="projects"/>.</summary>
    public async Task<string> RenderAsync(HttpRequest request, IReadOnlyList<ProjectSummary> projects, IPackageRepository repository)
    {
        var root = $"{request.PathBase}/";
        var count = 0;
        foreach (var project in projects)
        {
            count += (await repository.GetProjectAsync(project.Project, CancellationToken.None))?.Files.Count ?? 0;
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
        return html + "\n";
    }

    [GeneratedRegex(@"\{\{\s*(\w+)\s*\}\}")]
    private static partial Regex Variable();
}
