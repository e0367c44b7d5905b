namespace PypiLocal.Protocol.Json;

/// <summary>Everything the PyPI JSON API routes show about one project.</summary>
/// <param name="Name">The PEP 503 normalized name.</param>
/// <param name="DisplayName">The name as the metadata spells it (PyPI's <c>info.name</c>).</param>
/// <param name="Releases">Every release, in any order.</param>
/// <param name="LastSerial">A number that grows with every change to the project (PyPI's serial; an ETag-like counter).</param>
/// <param name="ProjectPageUrl">The project's web page (<c>package_url</c>, <c>project_url</c>; <c>release_url</c> appends "{version}/"), or null.</param>
/// <param name="Roles">Owners and maintainers for <c>ownership.roles</c>; empty when unknown.</param>
public sealed record PypiJsonProject(
    string Name,
    string DisplayName,
    IReadOnlyList<PypiJsonRelease> Releases,
    long LastSerial,
    string? ProjectPageUrl = null,
    IReadOnlyList<PypiJsonRole>? Roles = null);
