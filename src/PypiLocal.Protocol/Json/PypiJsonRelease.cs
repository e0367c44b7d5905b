using PypiLocal.Protocol.Metadata;
using PypiLocal.Protocol.Versions;

namespace PypiLocal.Protocol.Json;

/// <summary>One release (version) of a project for the PyPI JSON API.</summary>
/// <param name="Version">The version; written in normal form.</param>
/// <param name="Files">Its files, in the order to list them.</param>
/// <param name="Metadata">Core metadata of one of its files (the newest upload, a wheel if any), or null when unknown.</param>
public sealed record PypiJsonRelease(PackageVersion Version, IReadOnlyList<PypiJsonFile> Files, CoreMetadata? Metadata)
{
    /// <summary>PyPI yanks whole releases; with per-file yanks, a release counts as yanked when every file is.</summary>
    public bool IsYanked => Files.Count > 0 && Files.All(file => file.Yanked);

    /// <summary>The reason of the first yanked file that gives one, when the release is yanked.</summary>
    public string? YankedReason => IsYanked ? Files.Select(file => file.YankedReason).FirstOrDefault(reason => !string.IsNullOrEmpty(reason)) : null;
}
