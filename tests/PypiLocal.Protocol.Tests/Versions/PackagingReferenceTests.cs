using PypiLocal.Protocol.Versions;

namespace PypiLocal.Protocol.Tests.Versions;

/// <summary>
/// Differential test against pypa/packaging: TestData/versions-packaging.tsv holds ~2,000 generated
/// inputs with packaging's verdict, normal form, canonical form and sort rank (see gen_versions.py).
/// </summary>
public sealed class PackagingReferenceTests
{
    private sealed record Row(string Input, string? Normal, string? Canonical, int Rank);

    private static readonly Lazy<List<Row>> Rows = new(() =>
    [
        .. File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestData", "versions-packaging.tsv"))
            .Where(line => !line.StartsWith('#'))
            .Select(line => line.Split('\t'))
            .Select(cells => cells[1] == "INVALID"
                ? new Row(Unescape(cells[0]), null, null, -1)
                : new Row(Unescape(cells[0]), cells[1], cells[2], int.Parse(cells[3], System.Globalization.CultureInfo.InvariantCulture))),
    ]);

    [Fact]
    public void Parses_normalizes_and_canonicalizes_like_packaging()
    {
        var failures = new List<string>();
        foreach (var row in Rows.Value)
        {
            var parsed = PackageVersion.TryParse(row.Input, out var version);
            if (parsed != (row.Normal is not null))
            {
                failures.Add($"'{row.Input}': parsed={parsed}, packaging={row.Normal ?? "INVALID"}");
            }
            else if (version is not null && (version.ToString() != row.Normal || version.ToCanonicalString() != row.Canonical))
            {
                failures.Add($"'{row.Input}': {version} / {version.ToCanonicalString()}, packaging {row.Normal} / {row.Canonical}");
            }
        }

        Assert.True(Rows.Value.Count > 1500, "the reference table was not read");
        Assert.Empty(failures);
    }

    [Fact]
    public void Orders_and_hashes_every_pair_like_packaging()
    {
        var versions = Rows.Value.Where(r => r.Normal is not null).Select(r => (Version: PackageVersion.Parse(r.Input), r.Rank)).ToList();
        var failures = new List<string>();
        foreach (var (left, leftRank) in versions)
        {
            foreach (var (right, rightRank) in versions)
            {
                var expected = leftRank.CompareTo(rightRank);
                if (Math.Sign(left.CompareTo(right)) != expected || (expected == 0 && left.GetHashCode() != right.GetHashCode()))
                {
                    failures.Add($"{left} vs {right}: expected {expected}");
                }
            }
        }

        Assert.Empty(failures.Take(20));
    }

    private static string Unescape(string cell) => cell.Replace("\\t", "\t").Replace("\\n", "\n").Replace("\\\\", "\\");
}
