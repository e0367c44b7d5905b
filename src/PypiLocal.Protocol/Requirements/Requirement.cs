using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using PypiLocal.Protocol.Names;

namespace PypiLocal.Protocol.Requirements;

/// <summary>
/// A PEP 508 requirement, as requirements files and <c>Requires-Dist</c> write it:
/// <c>name[extra,…] specifier ; marker</c> (or <c>name @ url</c>). The marker is kept as text; only its
/// <c>extra == "…"</c> tests are read, to leave out what an unrequested extra would add.
/// </summary>
public sealed partial record Requirement(string Name, IReadOnlyList<string> Extras, VersionSpecifier Specifier, string? Marker, string? Url)
{
    /// <summary>The PEP 503 normalized name.</summary>
    public string Project => ProjectName.Normalize(Name);

    public static bool TryParse(string text, [NotNullWhen(true)] out Requirement? requirement)
    {
        requirement = null;
        var match = RequirementPattern().Match(text);
        if (!match.Success || !ProjectName.IsValid(match.Groups["name"].Value))
        {
            return false;
        }

        var extras = match.Groups["extras"].Value
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(ProjectName.Normalize)
            .ToList();
        var url = match.Groups["url"].Success ? match.Groups["url"].Value.Trim() : null;
        var specifierText = match.Groups["spec"].Value.Trim().TrimStart('(').TrimEnd(')');
        if (!VersionSpecifier.TryParse(specifierText, out var specifier))
        {
            return false;
        }

        var marker = match.Groups["marker"].Success ? match.Groups["marker"].Value.Trim() : null;
        requirement = new Requirement(match.Groups["name"].Value, extras, specifier, string.IsNullOrEmpty(marker) ? null : marker, url);
        return true;
    }

    /// <summary>
    /// False when the marker limits this requirement to extras none of which is in <paramref name="extras"/>
    /// (a dependency of an extra nobody asked for). Other markers (platform, Python version) count as met.
    /// </summary>
    public bool AppliesWith(IReadOnlyCollection<string> extras)
    {
        if (Marker is null)
        {
            return true;
        }

        var named = ExtraTest().Matches(Marker).Select(m => ProjectName.Normalize(m.Groups["a"].Success ? m.Groups["a"].Value : m.Groups["b"].Value)).ToList();
        return named.Count == 0 || named.Any(extras.Contains);
    }

    public override string ToString() =>
        Name + (Extras.Count > 0 ? $"[{string.Join(',', Extras)}]" : "") + Specifier.Text + (Marker is null ? "" : $"; {Marker}");

    [GeneratedRegex(@"^\s*(?<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[(?<extras>[^\]]*)\])?\s*(@\s*(?<url>[^;\s]+)\s*|(?<spec>\(?[^;@]*?\)?))\s*(;(?<marker>.*))?\z")]
    private static partial Regex RequirementPattern();

    [GeneratedRegex("""extra\s*==\s*["'](?<a>[^"']+)["']|["'](?<b>[^"']+)["']\s*==\s*extra""")]
    private static partial Regex ExtraTest();
}
