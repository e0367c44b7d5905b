using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PypiLocal.Protocol.Simple;

/// <summary>A project page read from another index, and the files left out of it (with why).</summary>
public sealed record ReadProjectPage(SimpleProjectPage Page, IReadOnlyList<string> Skipped);

/// <summary>
/// Reads another index's project page, PEP 691 JSON or PEP 503 HTML, into the model this index writes: file URLs
/// resolved against the page (and HTML's <c>&lt;base href&gt;</c>), every fact kept as given (sha256, size,
/// upload-time, requires-python, yank and reason, core-metadata hash, project status). A file without a sha256 is
/// left out, because nothing could check its bytes; core metadata advertised as a bare <c>true</c> (no hash) is
/// treated as not advertised for the same reason. A page this reader cannot make sense of throws
/// <see cref="FormatException"/>.
/// </summary>
public static partial class SimplePageReader
{
    /// <summary>True when a Content-Type names PEP 691 JSON (any v1 or latest JSON type).</summary>
    public static bool IsJson(string? contentType) =>
        contentType is not null
        && contentType.Split(';')[0].Trim().ToLowerInvariant() is SimpleContentNegotiation.JsonV1 or SimpleContentNegotiation.JsonLatest or "application/json";

    public static ReadProjectPage ReadJson(ReadOnlySpan<byte> body, Uri pageUrl, string project)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(body);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw new FormatException($"The page of '{project}' is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("files", out var filesElement) || filesElement.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"The page of '{project}' is not a PEP 691 project page (no files array).");
            }

            var apiVersion = root.TryGetProperty("meta", out var meta) && meta.ValueKind == JsonValueKind.Object
                && meta.TryGetProperty("api-version", out var version) && version.ValueKind == JsonValueKind.String
                    ? version.GetString()
                    : null;
            if (apiVersion is not null && !apiVersion.StartsWith("1.", StringComparison.Ordinal) && apiVersion != "1")
            {
                throw new FormatException($"The page of '{project}' has api-version {apiVersion}; only 1.x is understood.");
            }

            var files = new List<SimpleFile>();
            var skipped = new List<string>();
            foreach (var file in filesElement.EnumerateArray())
            {
                if (ReadJsonFile(file, pageUrl, out var reason) is { } read)
                {
                    files.Add(read);
                }
                else
                {
                    skipped.Add(reason);
                }
            }

            var versions = root.TryGetProperty("versions", out var versionsElement) && versionsElement.ValueKind == JsonValueKind.Array
                ? versionsElement.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList()
                : [];

            // Top level as PyPI and uv have it; inside meta as the PEP's example (an erratum) shows it.
            var status = ReadJsonStatus(root) ?? (meta.ValueKind == JsonValueKind.Object ? ReadJsonStatus(meta) : null);
            return new ReadProjectPage(new SimpleProjectPage(project, files, versions, status), skipped);
        }
    }

    public static ReadProjectPage ReadHtml(string body, Uri pageUrl, string project)
    {
        var baseUrl = BaseHref().Match(body) is { Success: true } match
            && AttributeValue(match.Groups["attrs"].Value, "href") is { Length: > 0 } href
            && Uri.TryCreate(pageUrl, href, out var declared)
                ? declared
                : pageUrl;
        var files = new List<SimpleFile>();
        var skipped = new List<string>();
        foreach (Match anchor in Anchor().Matches(body))
        {
            var attributes = anchor.Groups["attrs"].Value;
            if (AttributeValue(attributes, "href") is not { } link || !Uri.TryCreate(baseUrl, link, out var url))
            {
                continue;
            }

            var filename = Uri.UnescapeDataString(url.AbsolutePath[(url.AbsolutePath.LastIndexOf('/') + 1)..]);
            var sha256 = HashFromFragment(url.Fragment);
            if (sha256 is null)
            {
                skipped.Add($"{filename}: no sha256 in its link");
                continue;
            }

            var yanked = AttributeValue(attributes, "data-yanked");
            var coreMetadata = AttributeValue(attributes, "data-core-metadata") ?? AttributeValue(attributes, "data-dist-info-metadata");
            files.Add(new SimpleFile(
                filename,
                WithoutFragment(url),
                sha256,
                AttributeValue(attributes, "data-requires-python") is { Length: > 0 } requiresPython ? requiresPython : null,
                coreMetadata is not null && coreMetadata.StartsWith("sha256=", StringComparison.OrdinalIgnoreCase) && IsSha256(coreMetadata[7..]) ? coreMetadata[7..].ToLowerInvariant() : null,
                yanked is not null,
                string.IsNullOrEmpty(yanked) ? null : yanked,
                null,
                null));
        }

        var status = MetaContent(body, "pypi:project-status") is { Length: > 0 } state
            ? new ProjectStatus(state.Trim().ToLowerInvariant(), MetaContent(body, "pypi:project-status-reason"))
            : null;
        return new ReadProjectPage(new SimpleProjectPage(project, files, [], status), skipped);
    }

    private static SimpleFile? ReadJsonFile(JsonElement file, Uri pageUrl, out string skipReason)
    {
        skipReason = "";
        if (file.ValueKind != JsonValueKind.Object || String(file, "filename") is not { Length: > 0 } filename)
        {
            skipReason = "an entry without a filename";
            return null;
        }

        if (String(file, "url") is not { } href || !Uri.TryCreate(pageUrl, href, out var url))
        {
            skipReason = $"{filename}: no usable url";
            return null;
        }

        var sha256 = file.TryGetProperty("hashes", out var hashes) && hashes.ValueKind == JsonValueKind.Object ? String(hashes, "sha256") : null;
        if (sha256 is null || !IsSha256(sha256))
        {
            skipReason = $"{filename}: no sha256 in its hashes";
            return null;
        }

        var (yanked, reason) = file.TryGetProperty("yanked", out var y)
            ? y.ValueKind switch
            {
                JsonValueKind.True => (true, (string?)null),
                JsonValueKind.String when y.GetString() is { Length: > 0 } text => (true, text),
                _ => (false, null),
            }
            : (false, null);
        return new SimpleFile(
            filename,
            WithoutFragment(url),
            sha256.ToLowerInvariant(),
            String(file, "requires-python") is { Length: > 0 } requiresPython ? requiresPython : null,
            CoreMetadataHash(file, "core-metadata") ?? CoreMetadataHash(file, "dist-info-metadata"),
            yanked,
            reason,
            file.TryGetProperty("size", out var size) && size.ValueKind == JsonValueKind.Number && size.TryGetInt64(out var bytes) && bytes >= 0 ? bytes : null,
            String(file, "upload-time") is { } time && DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var uploaded)
                ? uploaded
                : null);
    }

    private static string? CoreMetadataHash(JsonElement file, string key) =>
        file.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Object && String(value, "sha256") is { } hash && IsSha256(hash)
            ? hash.ToLowerInvariant()
            : null;

    private static ProjectStatus? ReadJsonStatus(JsonElement owner) =>
        owner.TryGetProperty("project-status", out var status) && status.ValueKind == JsonValueKind.Object
            && (String(status, "status") ?? String(status, "state")) is { Length: > 0 } state
            ? new ProjectStatus(state.Trim().ToLowerInvariant(), String(status, "reason"))
            : null;

    private static string? String(JsonElement owner, string key) =>
        owner.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? HashFromFragment(string fragment)
    {
        foreach (var part in fragment.TrimStart('#').Split('&'))
        {
            if (part.StartsWith("sha256=", StringComparison.OrdinalIgnoreCase) && IsSha256(part[7..]))
            {
                return part[7..].ToLowerInvariant();
            }
        }

        return null;
    }

    private static string WithoutFragment(Uri url) => url.GetComponents(UriComponents.HttpRequestUrl, UriFormat.UriEscaped);

    private static bool IsSha256(string hex) => hex.Length == 64 && hex.All(char.IsAsciiHexDigit);

    private static string? MetaContent(string body, string name)
    {
        foreach (Match meta in Meta().Matches(body))
        {
            var attributes = meta.Groups["attrs"].Value;
            if (string.Equals(AttributeValue(attributes, "name"), name, StringComparison.OrdinalIgnoreCase))
            {
                return AttributeValue(attributes, "content");
            }
        }

        return null;
    }

    /// <summary>An attribute's HTML-decoded value: empty for a bare attribute, null when absent.</summary>
    private static string? AttributeValue(string attributes, string name)
    {
        foreach (Match attribute in Attribute().Matches(attributes))
        {
            if (attribute.Groups["name"].Value.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                var raw = attribute.Groups["dq"].Success ? attribute.Groups["dq"].Value
                    : attribute.Groups["sq"].Success ? attribute.Groups["sq"].Value
                    : attribute.Groups["bare"].Value;
                return WebUtility.HtmlDecode(raw);
            }
        }

        return null;
    }

    [GeneratedRegex(@"<a\b(?<attrs>[^>]*)>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Anchor();

    [GeneratedRegex(@"<base\b(?<attrs>[^>]*)>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BaseHref();

    [GeneratedRegex(@"<meta\b(?<attrs>[^>]*)>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Meta();

    [GeneratedRegex("""(?<name>[^\s=/>"']+)(?:\s*=\s*(?:"(?<dq>[^"]*)"|'(?<sq>[^']*)'|(?<bare>[^\s"'=<>`]+)))?""", RegexOptions.CultureInvariant)]
    private static partial Regex Attribute();
}
