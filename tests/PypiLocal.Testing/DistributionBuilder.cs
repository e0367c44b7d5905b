using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace PypiLocal.Testing;

/// <summary>
/// Builds real, installable distributions in code (no PyPI here): a wheel is a zip with a module, a
/// <c>.dist-info</c> holding METADATA, WHEEL and RECORD; an sdist is a tar.gz with PKG-INFO and a pyproject.
/// The module <c>{name}</c> defines <c>VERSION</c>, so a test can import what pip installed.
/// </summary>
public static class DistributionBuilder
{
    /// <summary>The core metadata text a built distribution carries.</summary>
    public static string Metadata(string name, string version, IEnumerable<string>? requiresDist = null, string? requiresPython = null, string? summary = null)
    {
        var text = new StringBuilder()
            .Append("Metadata-Version: 2.1\n")
            .Append("Name: ").Append(name).Append('\n')
            .Append("Version: ").Append(version).Append('\n')
            .Append("Summary: ").Append(summary ?? $"Test package {name}").Append('\n');
        if (requiresPython is not null)
        {
            text.Append("Requires-Python: ").Append(requiresPython).Append('\n');
        }

        foreach (var requirement in requiresDist ?? [])
        {
            text.Append("Requires-Dist: ").Append(requirement).Append('\n');
        }

        return text.Append("\nA package built by the PypiLocal tests.\n").ToString();
    }

    /// <summary>The wheel filename for a name and version (py3-none-any).</summary>
    public static string WheelFilename(string name, string version) => $"{FilenameComponent(name)}-{version}-py3-none-any.whl";

    /// <summary>Writes a pure-Python wheel into <paramref name="folder"/> (made if missing) and returns its path.</summary>
    public static string Wheel(string folder, string name, string version, IEnumerable<string>? requiresDist = null, string? requiresPython = null, string? metadata = null, int paddingBytes = 0)
    {
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, WheelFilename(name, version));
        File.WriteAllBytes(target, WheelBytes(name, version, requiresDist, requiresPython, metadata, paddingBytes));
        return target;
    }

    /// <summary>The bytes of a pure-Python wheel, for tests that store it themselves.</summary>
    public static byte[] WheelBytes(string name, string version, IEnumerable<string>? requiresDist = null, string? requiresPython = null, string? metadata = null, int paddingBytes = 0)
    {
        var module = ModuleName(name);
        var distInfo = $"{FilenameComponent(name)}-{version}.dist-info";
        var files = new List<(string Path, byte[] Content)>
        {
            ($"{module}/__init__.py", Encoding.UTF8.GetBytes($"VERSION = \"{version}\"\n")),
            ($"{distInfo}/METADATA", Encoding.UTF8.GetBytes(metadata ?? Metadata(name, version, requiresDist, requiresPython))),
            ($"{distInfo}/WHEEL", Encoding.UTF8.GetBytes("Wheel-Version: 1.0\nGenerator: pypilocal-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n")),
        };
        if (paddingBytes > 0)
        {
            files.Add(($"{module}/padding.bin", RandomNumberGenerator.GetBytes(paddingBytes)));
        }

        var record = new StringBuilder();
        foreach (var (path, content) in files)
        {
            var hash = Convert.ToBase64String(SHA256.HashData(content)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            record.Append(path).Append(",sha256=").Append(hash).Append(',').Append(content.Length).Append('\n');
        }

        record.Append(distInfo).Append("/RECORD,,\n");
        files.Add(($"{distInfo}/RECORD", Encoding.UTF8.GetBytes(record.ToString())));

        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, content) in files)
            {
                using var entry = zip.CreateEntry(path, paddingBytes > 0 ? CompressionLevel.NoCompression : CompressionLevel.Optimal).Open();
                entry.Write(content);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Writes a PEP 625 sdist (<c>{name}-{version}.tar.gz</c>) buildable with setuptools, and returns its path.</summary>
    public static string Sdist(string folder, string name, string version, IEnumerable<string>? requiresDist = null, string? requiresPython = null)
    {
        var root = $"{FilenameComponent(name)}-{version}";
        var requirements = string.Join(", ", (requiresDist ?? []).Select(r => $"\"{r}\""));
        var files = new (string Path, string Content)[]
        {
            ($"{root}/PKG-INFO", Metadata(name, version, requiresDist, requiresPython)),
            ($"{root}/pyproject.toml", $"[build-system]\nrequires = [\"setuptools\"]\nbuild-backend = \"setuptools.build_meta\"\n\n[project]\nname = \"{name}\"\nversion = \"{version}\"\ndependencies = [{requirements}]\n"),
            ($"{root}/{ModuleName(name)}/__init__.py", $"VERSION = \"{version}\"\n"),
        };

        var target = Path.Combine(folder, $"{root}.tar.gz");
        using var file = File.Create(target);
        using var gzip = new GZipStream(file, CompressionLevel.Optimal);
        using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        foreach (var (path, content) in files)
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
        }

        return target;
    }

    /// <summary>The importable module name: the normalized name with '-' turned into '_'.</summary>
    public static string ModuleName(string name) => FilenameComponent(name);

    private static string FilenameComponent(string name) =>
        System.Text.RegularExpressions.Regex.Replace(name, "[-_.]+", "-").ToLowerInvariant().Replace('-', '_');
}
