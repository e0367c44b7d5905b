using PypiLocal.Protocol.Simple;

namespace PypiLocal.Core.Pages;

/// <summary>One file as a project page lists it, with its version and where it comes from.</summary>
/// <param name="Entry">The file as the page writes it (URL already ours).</param>
/// <param name="Version">Its version in normal form.</param>
/// <param name="Index">The upstream index it comes from, or null for a local file.</param>
public sealed record ViewFile(SimpleFile Entry, string Version, string? Index);

/// <summary>What a project page shows: the files (local, upstream, or both when merged), extra versions, the status.</summary>
/// <param name="Versions">Versions the source names beyond its files' (an upstream's file-less versions).</param>
public sealed record ProjectView(string Project, IReadOnlyList<ViewFile> Files, IReadOnlyList<string> Versions, ProjectStatus? Status);

/// <summary>A project view as served now, and until when that holds (null: until something invalidates it).</summary>
public sealed record ServedView(ProjectView View, DateTimeOffset? ValidUntil);
