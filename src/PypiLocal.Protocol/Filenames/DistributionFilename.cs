using System.Diagnostics.CodeAnalysis;

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
public sealed record DistributionFilename(
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
    public static bool TryParse(string filename, [NotNullWhen(true)] out DistributionFilename? result) => throw new NotImplementedException();

    /// <summary>
    /// Parses a legacy sdist name when the project is known, by stripping a prefix that normalizes to it
    /// (so the version may itself contain '-', as in old post-releases).
    /// </summary>
    public static bool TryParseForProject(string filename, string project, [NotNullWhen(true)] out DistributionFilename? result) => throw new NotImplementedException();
}
