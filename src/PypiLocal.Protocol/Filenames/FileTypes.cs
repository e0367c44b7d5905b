namespace PypiLocal.Protocol.Filenames;

/// <summary>Classifies filenames by extension: distributions we serve, and types PyPI bans (PEP 527, PEP 715).</summary>
public static class FileTypes
{
    public const string WheelExtension = ".whl";
    public const string SdistExtension = ".tar.gz";
    public const string ZipExtension = ".zip";

    private static readonly string[] Banned = [".tar.bz2", ".tgz", ".tar.xz", ".tar", ".egg", ".exe", ".msi", ".dmg", ".rpm"];
    private static readonly string[] Distributions = [WheelExtension, SdistExtension, ZipExtension];

    /// <summary>True for <c>.tar.bz2</c>, <c>.tgz</c>, <c>.tar.xz</c>, <c>.tar</c>, <c>.egg</c>, <c>.exe</c>, <c>.msi</c>, <c>.dmg</c>, <c>.rpm</c>.</summary>
    public static bool IsBanned(string filename) => ExtensionOf(filename, Banned) is not null;

    /// <summary>True for <c>.whl</c>, <c>.tar.gz</c> and <c>.zip</c>: the files an index serves.</summary>
    public static bool IsDistribution(string filename) => ExtensionOf(filename, Distributions) is not null;

    /// <summary>The known distribution extension the name ends with (any case), as the constant, or null.</summary>
    internal static string? DistributionExtension(string filename) => ExtensionOf(filename, Distributions);

    // Extensions are matched case-insensitively: a mirrored "X.TAR.GZ" is still a tarball.
    private static string? ExtensionOf(string filename, string[] extensions)
    {
        foreach (var extension in extensions)
        {
            if (filename.Length > extension.Length && filename.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            {
                return extension;
            }
        }

        return null;
    }
}
