using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using PypiLocal.Protocol.Names;
using PypiLocal.Protocol.Text;
using PypiLocal.Protocol.Versions;

namespace PypiLocal.Protocol.Filenames;

/// <summary>
/// A parsed distribution filename: a wheel (<c>name-ver(-build)?-py-abi-plat.whl</c>), a PEP 625 sdist
/// (<c>name-ver.tar.gz</c>), or a legacy sdist a mirrored folder may hold (<c>.zip</c>, un-normalized names).
/// </summary>
/// <param name="Filename">The filename as given.</param>
/// <param name="NamePart">The name as written in the filename (may be un-normalized in legacy files).</param>
/// <param name="VersionPart">The version as written in the filename.</param>
/// <param name="Version">The parsed version.</param>
/// <param name="Kind">Wheel or sdist.</param>
/// <param name="BuildTag">Wheel build tag, or null.</param>
/// <param name="PythonTag">Wheel python tag (e.g. "py3", "py2.py3"), or null for sdists.</param>
/// <param name="AbiTag">Wheel ABI tag, or null.</param>
/// <param name="PlatformTag">Wheel platform tag, or null.</param>
/// <param name="IsLegacy">True when the name is not the exact form PyPI accepts on upload today.</param>
public sealed partial record DistributionFilename(
    string Filename,
    string NamePart,
    string VersionPart,
    Versions.PackageVersion Version,
    DistributionKind Kind,
    string? BuildTag,
    string? PythonTag,
    string? AbiTag,
    string? PlatformTag,
    bool IsLegacy)
{
    /// <summary>The PEP 503 normalized project name.</summary>
    public string Project => Names.ProjectName.Normalize(NamePart);

    /// <summary>Parses a wheel or sdist filename (legacy sdist forms included). Banned or unknown types fail.</summary>
    public static bool TryParse(string filename, [NotNullWhen(true)] out DistributionFilename? result)
    {
        result = null;
        if (!HasSafeCharacters(filename))
        {
            return false;
        }

        return FileTypes.DistributionExtension(filename) switch
        {
            FileTypes.WheelExtension => TryParseWheel(filename, out result),
            { } extension => TryParseSdist(filename, extension, filename[..^extension.Length].LastIndexOf('-'), out result),
            null => false,
        };
    }

    /// <summary>
    /// Parses a legacy sdist name when the project is known, by stripping a prefix that normalizes to it
    /// (so the version may itself contain '-', as in old post-releases).
    /// </summary>
    public static bool TryParseForProject(string filename, string project, [NotNullWhen(true)] out DistributionFilename? result)
    {
        var normalizedProject = ProjectName.Normalize(project);
        if (TryParse(filename, out result) && result.Project == normalizedProject)
        {
            return true;
        }

        result = null;
        var extension = FileTypes.DistributionExtension(filename);
        if (!HasSafeCharacters(filename) || extension is null || extension == FileTypes.WheelExtension)
        {
            return false;
        }

        var stem = filename[..^extension.Length];
        for (var dash = stem.IndexOf('-', StringComparison.Ordinal); dash > 0; dash = stem.IndexOf('-', dash + 1))
        {
            if (ProjectName.Normalize(stem[..dash]) == normalizedProject && TryParseSdist(filename, extension, dash, out result))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>packaging's parse_wheel_filename, plus PyPI's "exact form" check for <see cref="IsLegacy"/>.</summary>
    private static bool TryParseWheel(string filename, [NotNullWhen(true)] out DistributionFilename? result)
    {
        result = null;
        var parts = filename[..^FileTypes.WheelExtension.Length].Split('-');
        if (parts.Length is not (5 or 6))
        {
            return false;
        }

        var namePart = parts[0];
        if (!WheelNamePart().IsMatch(namePart) || namePart.Contains("__", StringComparison.Ordinal) ||
            !SharedVersions.TryParse(parts[1], out var spelled))
        {
            return false;
        }

        var (versionPart, version) = spelled;

        var buildTag = parts.Length == 6 ? parts[2] : null;
        if (buildTag is not null && !BuildTagPattern().IsMatch(buildTag))
        {
            return false;
        }

        var (python, abi, platform) = (parts[^3], parts[^2], parts[^1]);
        if (!IsTagSet(python) || !IsTagSet(abi) || !IsTagSet(platform))
        {
            return false;
        }

        result = new DistributionFilename(filename, namePart, versionPart, version, DistributionKind.Wheel,
            // The same few tags recur in nearly every wheel: one shared instance each.
            buildTag, SharedText.Share(python), SharedText.Share(abi), SharedText.Share(platform),
            IsLegacy: !filename.EndsWith(FileTypes.WheelExtension, StringComparison.Ordinal) || !IsExactForm(namePart, versionPart, version));
        return true;
    }

    /// <summary>Splits an sdist stem at <paramref name="dash"/> into name and version (PEP 625 uses the last '-').</summary>
    private static bool TryParseSdist(string filename, string extension, int dash, [NotNullWhen(true)] out DistributionFilename? result)
    {
        result = null;
        var stem = filename[..^extension.Length];
        if (dash <= 0)
        {
            return false;
        }

        var namePart = stem[..dash];
        if (!ProjectName.IsValid(namePart) || !SharedVersions.TryParse(stem[(dash + 1)..], out var spelled))
        {
            return false;
        }

        var (versionPart, version) = spelled;

        var isLegacy = extension != FileTypes.SdistExtension || !filename.EndsWith(extension, StringComparison.Ordinal) ||
            !IsExactForm(namePart, versionPart, version);
        result = new DistributionFilename(filename, namePart, versionPart, version, DistributionKind.Sdist,
            null, null, null, null, isLegacy);
        return true;
    }

    private static bool IsExactForm(string namePart, string versionPart, PackageVersion version) =>
        namePart == ProjectName.ToFilenameComponent(namePart) && versionPart == version.ToString();

    // A dotted tag set such as "py2.py3": no empty members, and (stricter than packaging) only the
    // characters real tags use, so a parsed name is always safe in a URL path.
    private static bool IsTagSet(string tags) => TagSet().IsMatch(tags);

    // Never a path: no separators, no control characters.
    private static bool HasSafeCharacters(string filename) =>
        filename.Length > 0 && !filename.Any(c => c is '/' or '\\' or < ' ' or '\x7f');

    [GeneratedRegex(@"^[\w.]+\z")]
    private static partial Regex WheelNamePart();

    // packaging's (\d+)(.*), limited to tag characters for the same reason.
    [GeneratedRegex(@"^[0-9]+[A-Za-z0-9_.]*\z")]
    private static partial Regex BuildTagPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*\z")]
    private static partial Regex TagSet();
}
