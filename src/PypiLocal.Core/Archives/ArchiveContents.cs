namespace PypiLocal.Core.Archives;

/// <summary>What reading a distribution archive once tells: its member names, in order, and its core metadata.</summary>
/// <param name="Members">Every member's path, '/'-separated, without a leading <c>./</c> or trailing '/'.</param>
/// <param name="Metadata">
/// The raw core metadata: a wheel's METADATA in its single <c>.dist-info</c> directory, an sdist's first
/// <c>{top}/PKG-INFO</c>; null when there is none (or more than one <c>.dist-info</c>).
/// </param>
public sealed record ArchiveContents(IReadOnlyList<string> Members, byte[]? Metadata)
{
    private const string DistInfoSuffix = ".dist-info";

    /// <summary>The distinct first path segments, in order of appearance.</summary>
    public IReadOnlyList<string> TopLevelNames => TopLevelNamesOf(Members);

    /// <summary>The top-level <c>*.dist-info</c> directories (a wheel has exactly one).</summary>
    public IReadOnlyList<string> DistInfoDirectories => DistInfoDirectoriesOf(Members);

    internal static IReadOnlyList<string> TopLevelNamesOf(IEnumerable<string> members) =>
        members.Select(m => m.Split('/')[0]).Distinct(StringComparer.Ordinal).ToList();

    internal static IReadOnlyList<string> DistInfoDirectoriesOf(IEnumerable<string> members) =>
        TopLevelNamesOf(members).Where(top => top.Length > DistInfoSuffix.Length && top.EndsWith(DistInfoSuffix, StringComparison.Ordinal)).ToList();

    /// <summary>True for <c>{top}/PKG-INFO</c>: an sdist's metadata file.</summary>
    internal static bool IsPkgInfo(string member) => member.Split('/') is [{ Length: > 0 }, "PKG-INFO"];
}
