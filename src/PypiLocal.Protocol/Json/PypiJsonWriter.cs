using System.Globalization;
using System.Text.Json;
using PypiLocal.Protocol.Filenames;
using PypiLocal.Protocol.Metadata;
using PypiLocal.Protocol.Simple;
using PypiLocal.Protocol.Versions;

namespace PypiLocal.Protocol.Json;

/// <summary>
/// The PyPI JSON API (docs/protocol.md#pypi-json-api), as UTF-8 bytes: <c>/pypi/{p}/json</c> shows the latest release
/// and every release's files; <c>/pypi/{p}/{v}/json</c> one release without <c>releases</c>.
/// </summary>
public static class PypiJsonWriter
{
    public const string ContentType = "application/json";

    /// <summary>The project route: info and urls of <see cref="LatestRelease"/>, plus <c>releases</c>. Null when the project has no release.</summary>
    public static byte[]? WriteProject(PypiJsonProject project) =>
        LatestRelease.Pick(project.Releases) is { } latest ? Write(project, latest, includeReleases: true) : null;

    /// <summary>The version route for one release of the project.</summary>
    public static byte[] WriteRelease(PypiJsonProject project, PypiJsonRelease release) => Write(project, release, includeReleases: false);

    /// <summary>The release a <c>{v}</c> path segment names, matched by canonical version ("1.0.0" finds "1.0"), or null.</summary>
    public static PypiJsonRelease? FindRelease(PypiJsonProject project, string version) =>
        PackageVersion.TryParse(version, out var parsed) ? project.Releases.FirstOrDefault(release => release.Version == parsed) : null;

    private static byte[] Write(PypiJsonProject project, PypiJsonRelease release, bool includeReleases) => SimpleJsonWriter.Write(json =>
    {
        WriteInfo(json, project, release);
        json.WriteNumber("last_serial", project.LastSerial);
        WriteOwnership(json, project.Roles ?? []);
        if (includeReleases)
        {
            json.WriteStartObject("releases");
            foreach (var each in project.Releases.OrderBy(r => r.Version))
            {
                WriteFiles(json, each.Version.ToString(), each.Files);
            }

            json.WriteEndObject();
        }

        WriteFiles(json, "urls", release.Files);
        json.WriteStartArray("vulnerabilities");
        json.WriteEndArray();
    });

    private static void WriteInfo(Utf8JsonWriter json, PypiJsonProject project, PypiJsonRelease release)
    {
        var metadata = release.Metadata;
        var version = release.Version.ToString();
        string? Field(string name) => metadata?.Get(name) is { Length: > 0 } value && value != "UNKNOWN" ? value : null;

        json.WriteStartObject("info");
        json.WriteString("author", Field("Author"));
        json.WriteString("author_email", Field("Author-email"));
        json.WriteNull("bugtrack_url");
        WriteList(json, "classifiers", metadata?.Classifiers ?? [], nullWhenEmpty: false);
        json.WriteString("description", metadata?.Description);
        json.WriteString("description_content_type", Field("Description-Content-Type"));
        json.WriteNull("docs_url");
        json.WriteString("download_url", Field("Download-URL"));
        json.WriteStartObject("downloads");
        json.WriteNumber("last_day", -1);
        json.WriteNumber("last_month", -1);
        json.WriteNumber("last_week", -1);
        json.WriteEndObject();
        WriteList(json, "dynamic", metadata?.GetAll("Dynamic") ?? [], nullWhenEmpty: true);
        json.WriteString("home_page", Field("Home-page"));
        json.WriteString("keywords", Field("Keywords"));
        json.WriteString("license", Field("License"));
        json.WriteString("license_expression", Field("License-Expression"));
        WriteList(json, "license_files", metadata?.GetAll("License-File") ?? [], nullWhenEmpty: true);
        json.WriteString("maintainer", Field("Maintainer"));
        json.WriteString("maintainer_email", Field("Maintainer-email"));
        json.WriteString("name", project.DisplayName);
        json.WriteString("package_url", project.ProjectPageUrl);
        json.WriteString("platform", Field("Platform"));
        json.WriteString("project_url", project.ProjectPageUrl);
        WriteProjectUrls(json, metadata);
        WriteList(json, "provides_extra", metadata?.ProvidesExtra ?? [], nullWhenEmpty: true);
        json.WriteString("release_url", project.ProjectPageUrl is null ? null : $"{project.ProjectPageUrl.TrimEnd('/')}/{version}/");
        WriteList(json, "requires_dist", metadata?.RequiresDist ?? [], nullWhenEmpty: true);
        json.WriteString("requires_python", Field("Requires-Python") ?? release.Files.Select(f => f.RequiresPython).FirstOrDefault(r => r is not null));
        json.WriteString("summary", Field("Summary"));
        json.WriteString("version", version);
        json.WriteBoolean("yanked", release.IsYanked);
        json.WriteString("yanked_reason", release.YankedReason);
        json.WriteEndObject();
    }

    // Project-URL "Label, URL" entries, with Home-page and Download-URL added as PyPI does; null when none.
    private static void WriteProjectUrls(Utf8JsonWriter json, CoreMetadata? metadata)
    {
        var urls = new List<(string Label, string Url)>();
        if (metadata?.Get("Home-page") is { Length: > 0 } home && home != "UNKNOWN")
        {
            urls.Add(("Homepage", home));
        }

        if (metadata?.Get("Download-URL") is { Length: > 0 } download && download != "UNKNOWN")
        {
            urls.Add(("Download", download));
        }

        foreach (var entry in metadata?.GetAll("Project-URL") ?? [])
        {
            var comma = entry.IndexOf(',', StringComparison.Ordinal);
            if (comma > 0)
            {
                urls.Add((entry[..comma].Trim(), entry[(comma + 1)..].Trim()));
            }
        }

        if (urls.Count == 0)
        {
            json.WriteNull("project_urls");
            return;
        }

        json.WriteStartObject("project_urls");
        foreach (var (label, url) in urls.DistinctBy(u => u.Label))
        {
            json.WriteString(label, url);
        }

        json.WriteEndObject();
    }

    private static void WriteOwnership(Utf8JsonWriter json, IReadOnlyList<PypiJsonRole> roles)
    {
        json.WriteStartObject("ownership");
        json.WriteNull("organization");
        json.WriteStartArray("roles");
        foreach (var role in roles)
        {
            json.WriteStartObject();
            json.WriteString("role", role.Role);
            json.WriteString("user", role.User);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteFiles(Utf8JsonWriter json, string propertyName, IReadOnlyList<PypiJsonFile> files)
    {
        json.WriteStartArray(propertyName);
        foreach (var file in files)
        {
            WriteFile(json, file);
        }

        json.WriteEndArray();
    }

    private static void WriteFile(Utf8JsonWriter json, PypiJsonFile file)
    {
        json.WriteStartObject();
        json.WriteString("comment_text", "");
        SimpleJsonWriter.WriteCoreMetadata(json, file.CoreMetadataSha256);
        json.WriteStartObject("digests");
        WriteIfKnown(json, "blake2b_256", file.Blake2b256);
        WriteIfKnown(json, "md5", file.Md5);
        json.WriteString("sha256", file.Sha256);
        json.WriteEndObject();
        json.WriteNumber("downloads", -1);
        json.WriteString("filename", file.Filename);
        json.WriteBoolean("has_sig", false);
        json.WriteString("md5_digest", file.Md5);
        json.WriteString("packagetype", file.Kind == DistributionKind.Wheel ? "bdist_wheel" : "sdist");
        json.WriteString("python_version", PythonVersion(file));
        json.WriteString("requires_python", file.RequiresPython);
        json.WriteNumber("size", file.Size);
        // PyPI: upload_time to the second without a zone, upload_time_iso_8601 with microseconds and Z.
        json.WriteString("upload_time", file.UploadTime.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss", CultureInfo.InvariantCulture));
        json.WriteString("upload_time_iso_8601", UploadTimeFormat.Format(file.UploadTime));
        json.WriteString("url", file.Url);
        json.WriteBoolean("yanked", file.Yanked);
        json.WriteString("yanked_reason", file.Yanked && !string.IsNullOrEmpty(file.YankedReason) ? file.YankedReason : null);
        json.WriteEndObject();
    }

    // The upload's pyversion: "source" for sdists, the python tag for wheels.
    private static string PythonVersion(PypiJsonFile file) =>
        file.Kind == DistributionKind.Sdist ? "source" :
        DistributionFilename.TryParse(file.Filename, out var parsed) && parsed.PythonTag is { } tag ? tag : "any";

    // Unknown digests are left out rather than written as null: clients index the object by name.
    private static void WriteIfKnown(Utf8JsonWriter json, string propertyName, string? value)
    {
        if (value is not null)
        {
            json.WriteString(propertyName, value);
        }
    }

    private static void WriteList(Utf8JsonWriter json, string propertyName, IReadOnlyList<string> values, bool nullWhenEmpty)
    {
        if (values.Count == 0 && nullWhenEmpty)
        {
            json.WriteNull(propertyName);
            return;
        }

        json.WriteStartArray(propertyName);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
