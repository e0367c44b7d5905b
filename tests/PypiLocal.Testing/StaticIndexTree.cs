using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace PypiLocal.Testing;

/// <summary>
/// Writes a PEP 503 index as static files, as many mirrors and hand-made indexes are: <c>simple/index.html</c>, one
/// <c>simple/{project}/index.html</c> per project linking to <c>packages/{file}#sha256=…</c> (relative links), and the
/// files. No JSON, no upload times, no sizes: what nginx serves from it is the plainest upstream. Optionally each wheel's
/// core metadata beside it (<c>{file}.metadata</c>, announced by PEP 714's <c>data-core-metadata</c>), as PyPI serves it.
/// </summary>
public static class StaticIndexTree
{
    /// <summary>
    /// Writes the tree for the distributions in <paramref name="files"/> into <paramref name="root"/>; with
    /// <paramref name="coreMetadata"/>, each wheel's METADATA as its <c>.metadata</c> file too.
    /// </summary>
    public static void Write(string root, IEnumerable<(string Project, string Path)> files, bool coreMetadata = false)
    {
        var packages = Directory.CreateDirectory(System.IO.Path.Combine(root, "packages")).FullName;
        var projects = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (project, path) in files)
        {
            var name = System.IO.Path.GetFileName(path);
            File.Copy(path, System.IO.Path.Combine(packages, name), overwrite: true);
            var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
            var metadataAttribute = "";
            if (coreMetadata && WheelMetadata(path) is { } metadata)
            {
                File.WriteAllBytes(System.IO.Path.Combine(packages, name + ".metadata"), metadata);
                metadataAttribute = $" data-core-metadata=\"sha256={Convert.ToHexStringLower(SHA256.HashData(metadata))}\"";
            }

            (projects.TryGetValue(project, out var links) ? links : projects[project] = [])
                .Add($"    <a href=\"../../packages/{Uri.EscapeDataString(name)}#sha256={hash}\"{metadataAttribute}>{WebUtility.HtmlEncode(name)}</a><br/>");
        }

        var simple = Directory.CreateDirectory(System.IO.Path.Combine(root, "simple")).FullName;
        foreach (var (project, links) in projects)
        {
            Directory.CreateDirectory(System.IO.Path.Combine(simple, project));
            File.WriteAllText(System.IO.Path.Combine(simple, project, "index.html"), Page($"Links for {project}", links));
        }

        File.WriteAllText(System.IO.Path.Combine(simple, "index.html"), Page("Simple index", projects.Keys.Select(p => $"    <a href=\"{p}/\">{p}</a><br/>")));
    }

    /// <summary>The METADATA of a wheel (a zip), or null for any other file.</summary>
    private static byte[]? WheelMetadata(string path)
    {
        if (!path.EndsWith(".whl", StringComparison.Ordinal))
        {
            return null;
        }

        using var wheel = ZipFile.OpenRead(path);
        var entry = wheel.Entries.Single(e => e.FullName.EndsWith(".dist-info/METADATA", StringComparison.Ordinal));
        using var stream = entry.Open();
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }

    private static string Page(string title, IEnumerable<string> lines) =>
        new StringBuilder("<!DOCTYPE html>\n<html>\n  <head><title>").Append(WebUtility.HtmlEncode(title)).Append("</title></head>\n  <body>\n")
            .AppendJoin('\n', lines).Append("\n  </body>\n</html>\n").ToString();
}
