using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace PypiLocal.Testing;

/// <summary>
/// Writes a PEP 503 index as static files, as many mirrors and hand-made indexes are: <c>simple/index.html</c>, one
/// <c>simple/{project}/index.html</c> per project linking to <c>packages/{file}#sha256=…</c> (relative links), and the
/// files. No JSON, no upload times, no sizes: what nginx serves from it is the plainest upstream.
/// </summary>
public static class StaticIndexTree
{
    /// <summary>Writes the tree for the distributions in <paramref name="files"/> (project from the filename) into <paramref name="root"/>.</summary>
    public static void Write(string root, IEnumerable<(string Project, string Path)> files)
    {
        var packages = Directory.CreateDirectory(System.IO.Path.Combine(root, "packages")).FullName;
        var projects = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (project, path) in files)
        {
            var name = System.IO.Path.GetFileName(path);
            File.Copy(path, System.IO.Path.Combine(packages, name), overwrite: true);
            var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
            (projects.TryGetValue(project, out var links) ? links : projects[project] = [])
                .Add($"    <a href=\"../../packages/{Uri.EscapeDataString(name)}#sha256={hash}\">{WebUtility.HtmlEncode(name)}</a><br/>");
        }

        var simple = Directory.CreateDirectory(System.IO.Path.Combine(root, "simple")).FullName;
        foreach (var (project, links) in projects)
        {
            Directory.CreateDirectory(System.IO.Path.Combine(simple, project));
            File.WriteAllText(System.IO.Path.Combine(simple, project, "index.html"), Page($"Links for {project}", links));
        }

        File.WriteAllText(System.IO.Path.Combine(simple, "index.html"), Page("Simple index", projects.Keys.Select(p => $"    <a href=\"{p}/\">{p}</a><br/>")));
    }

    private static string Page(string title, IEnumerable<string> lines) =>
        new StringBuilder("<!DOCTYPE html>\n<html>\n  <head><title>").Append(WebUtility.HtmlEncode(title)).Append("</title></head>\n  <body>\n")
            .AppendJoin('\n', lines).Append("\n  </body>\n</html>\n").ToString();
}
