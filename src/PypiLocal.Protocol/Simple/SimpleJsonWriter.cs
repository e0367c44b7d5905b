using System.Text.Encodings.Web;
using System.Text.Json;

namespace PypiLocal.Protocol.Simple;

/// <summary>
/// PEP 691 JSON with the PEP 700 fields (api-version 1.1), as UTF-8 bytes. Never writes <c>dist-info-metadata</c>.
/// A page with a file of unknown size (proxied from an HTML-only upstream) claims 1.0, which does not require sizes.
/// </summary>
public static class SimpleJsonWriter
{
    /// <summary>The root page's version; a project page says what it needs (<see cref="SimpleProjectPage.ApiVersion"/>).</summary>
    public const string ApiVersion = "1.1";

    // Non-ASCII stays readable; the body is served as JSON, never embedded in HTML, so '<' need not be escaped.
    internal static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] WriteProjectList(SimpleProjectList list) => Write(json =>
    {
        WriteMeta(json);
        json.WriteStartArray("projects");
        foreach (var project in list.Projects)
        {
            json.WriteStartObject();
            json.WriteString("name", project.Name);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    });

    public static byte[] WriteProjectPage(SimpleProjectPage page) => Write(json =>
    {
        WriteMeta(json, page.ApiVersion);
        json.WriteString("name", page.Name);
        if (page.Status is not null)
        {
            // Top level, with "status" (what uv reads), not the PEP draft's "state" inside meta.
            json.WriteStartObject("project-status");
            json.WriteString("status", page.Status.Status);
            if (page.Status.Reason is not null)
            {
                json.WriteString("reason", page.Status.Reason);
            }

            json.WriteEndObject();
        }

        json.WriteStartArray("versions");
        foreach (var version in page.Versions)
        {
            json.WriteStringValue(version);
        }

        json.WriteEndArray();
        json.WriteStartArray("files");
        foreach (var file in page.Files)
        {
            WriteFile(json, file);
        }

        json.WriteEndArray();
    });

    private static void WriteFile(Utf8JsonWriter json, SimpleFile file)
    {
        json.WriteStartObject();
        json.WriteString("filename", file.Filename);
        json.WriteString("url", file.Url);
        json.WriteStartObject("hashes");
        json.WriteString("sha256", file.Sha256);
        foreach (var (algorithm, hex) in file.OtherHashes ?? new Dictionary<string, string>())
        {
            json.WriteString(algorithm, hex);
        }

        json.WriteEndObject();
        json.WriteString("requires-python", file.RequiresPython);
        WriteCoreMetadata(json, file.CoreMetadataSha256);

        // PEP 592: a reason when there is one, else true; never an empty string.
        if (file.Yanked && !string.IsNullOrEmpty(file.YankedReason))
        {
            json.WriteString("yanked", file.YankedReason);
        }
        else
        {
            json.WriteBoolean("yanked", file.Yanked);
        }

        if (file.Size is { } size)
        {
            json.WriteNumber("size", size);
        }

        if (file.UploadTime is { } uploadTime)
        {
            json.WriteString("upload-time", UploadTimeFormat.Format(uploadTime));
        }

        if (file.ProvenanceUrl is not null)
        {
            json.WriteString("provenance", file.ProvenanceUrl);
        }

        json.WriteEndObject();
    }

    /// <summary>PEP 714 <c>core-metadata</c>: its hash, or false. Never the legacy <c>dist-info-metadata</c> key.</summary>
    internal static void WriteCoreMetadata(Utf8JsonWriter json, string? sha256)
    {
        if (sha256 is null)
        {
            json.WriteBoolean("core-metadata", false);
            return;
        }

        json.WriteStartObject("core-metadata");
        json.WriteString("sha256", sha256);
        json.WriteEndObject();
    }

    private static void WriteMeta(Utf8JsonWriter json, string apiVersion = ApiVersion)
    {
        json.WriteStartObject("meta");
        json.WriteString("api-version", apiVersion);
        json.WriteEndObject();
    }

    internal static byte[] Write(Action<Utf8JsonWriter> writeBody)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            writeBody(json);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
