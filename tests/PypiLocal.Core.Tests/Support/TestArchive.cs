using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace PypiLocal.Core.Tests.Support;

/// <summary>
/// Builds wheels and sdists in code, correct by default and broken on request, for the upload checks:
/// a wheel is a zip with <c>{name}-{ver}.dist-info/METADATA</c>, <c>WHEEL</c> and <c>RECORD</c>; an sdist a tar.gz
/// with one top directory holding PKG-INFO.
/// </summary>
public static class TestArchive
{
    public static string Metadata(string name, string version, string metadataVersion = "2.1", string? requiresPython = null) =>
        $"Metadata-Version: {metadataVersion}\nName: {name}\nVersion: {version}\nSummary: test package\n"
        + (requiresPython is null ? "" : $"Requires-Python: {requiresPython}\n")
        + "\nDescription body.\n";

    /// <summary>The entries of a correct pure-Python wheel, to edit before <see cref="Zip"/>.</summary>
    public static Dictionary<string, byte[]> WheelEntries(string name, string version, string? distInfoName = null, string? metadata = null)
    {
        var component = Component(name);
        var distInfo = distInfoName ?? $"{component}-{version}.dist-info";
        return new Dictionary<string, byte[]>
        {
            [$"{component}/__init__.py"] = Encoding.UTF8.GetBytes($"VERSION = \"{version}\"\n"),
            [$"{distInfo}/METADATA"] = Encoding.UTF8.GetBytes(metadata ?? Metadata(name, version)),
            [$"{distInfo}/WHEEL"] = Encoding.UTF8.GetBytes("Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"),
            [$"{distInfo}/RECORD"] = Encoding.UTF8.GetBytes($"{distInfo}/RECORD,,\n"),
        };
    }

    public static byte[] Wheel(string name, string version, string? metadata = null) => Zip(WheelEntries(name, version, metadata: metadata));

    public static byte[] Zip(IReadOnlyDictionary<string, byte[]> entries, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, content) in entries)
            {
                using var stream = zip.CreateEntry(path, level).Open();
                stream.Write(content);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Rewrites every compression method in the central directory (e.g. 12 = bzip2), as another zip tool would write it.</summary>
    public static byte[] WithCentralDirectoryMethod(byte[] zip, ushort method)
    {
        var copy = (byte[])zip.Clone();
        for (var i = 0; i + 46 <= copy.Length; i++)
        {
            if (copy[i] == 0x50 && copy[i + 1] == 0x4b && copy[i + 2] == 0x01 && copy[i + 3] == 0x02)
            {
                copy[i + 10] = (byte)method;
                copy[i + 11] = (byte)(method >> 8);
            }
        }

        return copy;
    }

    public static Dictionary<string, byte[]> SdistEntries(string name, string version, string? metadata = null)
    {
        var root = $"{Component(name)}-{version}";
        return new Dictionary<string, byte[]>
        {
            [$"{root}/PKG-INFO"] = Encoding.UTF8.GetBytes(metadata ?? Metadata(name, version)),
            [$"{root}/pyproject.toml"] = Encoding.UTF8.GetBytes($"[project]\nname = \"{name}\"\nversion = \"{version}\"\n"),
            [$"{root}/{Component(name)}/__init__.py"] = Encoding.UTF8.GetBytes("\n"),
        };
    }

    public static byte[] Sdist(string name, string version, string? metadata = null) => TarGz(SdistEntries(name, version, metadata));

    public static byte[] TarGz(IReadOnlyDictionary<string, byte[]> entries)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var (path, content) in entries)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(content) });
            }
        }

        return buffer.ToArray();
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string Md5(byte[] bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));

    public static string Component(string name) =>
        System.Text.RegularExpressions.Regex.Replace(name, "[-_.]+", "-").ToLowerInvariant().Replace('-', '_');
}
