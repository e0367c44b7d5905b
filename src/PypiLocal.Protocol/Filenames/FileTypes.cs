namespace PypiLocal.Protocol.Filenames;

/// <summary>Classifies filenames by extension: distributions we serve, and types PyPI bans (PEP 527, PEP 715).</summary>
public static class FileTypes
{
    /// <summary>True for <c>.tar.bz2</c>, <c>.tgz</c>, <c>.tar.xz</c>, <c>.tar</c>, <c>.egg</c>, <c>.exe</c>, <c>.msi</c>, <c>.dmg</c>, <c>.rpm</c>.</summary>
    public static bool IsBanned(string filename) => throw new NotImplementedException();

    /// <summary>True for <c>.whl</c>, <c>.tar.gz</c> and <c>.zip</c>: the files an index serves.</summary>
    public static bool IsDistribution(string filename) => throw new NotImplementedException();
}
