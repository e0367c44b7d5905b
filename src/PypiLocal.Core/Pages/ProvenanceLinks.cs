using System.Text;

namespace PypiLocal.Core.Pages;

/// <summary>
/// Where a file's PEP 740 provenance is served, and how index pages link to it. PEP 740 wants absolute links, but a
/// rendered page is cached once for every client (and every node): so pages hold the links under a placeholder
/// origin, and each response puts in the origin its client asked for.
/// </summary>
public static class ProvenanceLinks
{
    /// <summary>A reserved name (RFC 2606) that never occurs in a page otherwise.</summary>
    public const string PlaceholderOrigin = "http://pypilocal.invalid";

    private static readonly byte[] Placeholder = Encoding.ASCII.GetBytes(PlaceholderOrigin);

    /// <summary>The integrity API path PyPI serves provenance at: <c>/integrity/{project}/{version}/{filename}/provenance</c>.</summary>
    public static string Path(string project, string version, string filename) =>
        $"/integrity/{Uri.EscapeDataString(project)}/{Uri.EscapeDataString(version)}/{Uri.EscapeDataString(filename)}/provenance";

    /// <summary>The link written into a cached page.</summary>
    public static string CachedLink(string project, string version, string filename) => PlaceholderOrigin + Path(project, version, filename);

    /// <summary>Whether <paramref name="page"/> holds any cached link.</summary>
    public static bool HasPlaceholder(ReadOnlySpan<byte> page) => page.IndexOf(Placeholder) >= 0;

    /// <summary>
    /// <paramref name="page"/> with every cached link made absolute under <paramref name="origin"/> (scheme, host,
    /// path base): a copy when it holds any, else the page itself.
    /// </summary>
    public static byte[] WithOrigin(byte[] page, string origin)
    {
        var at = page.AsSpan().IndexOf(Placeholder);
        if (at < 0)
        {
            return page;
        }

        var replacement = Encoding.UTF8.GetBytes(origin);
        using var result = new MemoryStream(page.Length + 64);
        var rest = page.AsSpan();
        while (at >= 0)
        {
            result.Write(rest[..at]);
            result.Write(replacement);
            rest = rest[(at + Placeholder.Length)..];
            at = rest.IndexOf(Placeholder);
        }

        result.Write(rest);
        return result.ToArray();
    }
}
