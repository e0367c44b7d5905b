using System.IO.Compression;
using System.Text;

namespace PypiLocal.Infrastructure.Tests.Support;

/// <summary>Builds real wheels in code: a zip with <c>{name}-{version}.dist-info/METADATA</c>, WHEEL and RECORD.</summary>
internal static class WheelBuilder
{
    public static string Filename(string name, string version) => $"{name.Replace('-', '_')}-{version}-py3-none-any.whl";

    /// <summary>Writes the wheel into <paramref name="folder"/> and returns its path.</summary>
    public static string Write(string folder, string name, string version, string? requiresPython = ">=3.8")
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, Filename(name, version));
        File.WriteAllBytes(path, Build(name, version, requiresPython));
        return path;
    }

    public static byte[] Build(string name, string version, string? requiresPython = ">=3.8")
    {
        var module = name.Replace('-', '_').ToLowerInvariant();
        var distInfo = $"{name.Replace('-', '_')}-{version}.dist-info";
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, $"{module}/__init__.py", $"__version__ = \"{version}\"\n");
            Add(zip, $"{distInfo}/METADATA", Metadata(name, version, requiresPython));
            Add(zip, $"{distInfo}/WHEEL", "Wheel-Version: 1.0\nGenerator: pypilocal-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
            Add(zip, $"{distInfo}/RECORD", $"{module}/__init__.py,,\n{distInfo}/METADATA,,\n{distInfo}/WHEEL,,\n{distInfo}/RECORD,,\n");
        }

        return buffer.ToArray();
    }

    public static string Metadata(string name, string version, string? requiresPython) =>
        $"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n" + (requiresPython is null ? "" : $"Requires-Python: {requiresPython}\n") + "Summary: A test wheel\n";

    private static void Add(ZipArchive zip, string name, string content)
    {
        using var stream = zip.CreateEntry(name).Open();
        stream.Write(Encoding.UTF8.GetBytes(content));
    }
}
