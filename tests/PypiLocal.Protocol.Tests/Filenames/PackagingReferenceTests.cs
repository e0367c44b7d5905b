using PypiLocal.Protocol.Filenames;
using PypiLocal.Protocol.Names;

namespace PypiLocal.Protocol.Tests.Filenames;

/// <summary>
/// Differential test against pypa/packaging's parse_wheel_filename and parse_sdist_filename
/// (TestData/filenames-packaging.tsv, see gen_filenames.py). We are never more lenient, and where both
/// accept, project, version and build tag agree.
/// </summary>
public sealed class PackagingReferenceTests
{
    [Fact]
    public void Agrees_with_packaging_or_is_stricter_for_a_documented_reason()
    {
        var rows = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestData", "filenames-packaging.tsv"))
            .Where(line => !line.StartsWith('#'))
            .Select(line => line.Split('\t'))
            .ToList();
        var failures = new List<string>();
        foreach (var cells in rows)
        {
            var filename = cells[0];
            var parsed = DistributionFilename.TryParse(filename, out var result);
            if (cells[1] == "INVALID")
            {
                if (parsed)
                {
                    failures.Add($"{filename}: accepted, packaging rejects");
                }
            }
            else if (!parsed)
            {
                if (!IsStricterByDesign(filename))
                {
                    failures.Add($"{filename}: rejected, packaging accepts");
                }
            }
            else if (result!.Project != cells[1] || result.Version.ToString() != cells[2] || (result.BuildTag ?? "") != cells[3])
            {
                failures.Add($"{filename}: {result.Project} {result.Version} {result.BuildTag}, packaging {cells[1]} {cells[2]} {cells[3]}");
            }
        }

        Assert.True(rows.Count > 5000, "the reference table was not read");
        Assert.Empty(failures.Take(30));
    }

    // packaging 23 accepts these; newer packaging and PyPI do not (empty name or tag members), or an
    // sdist name part that is not a valid project name.
    private static bool IsStricterByDesign(string filename)
    {
        var stem = filename.EndsWith(".whl", StringComparison.Ordinal) ? filename[..^4] : null;
        if (stem is null)
        {
            var sdistStem = filename.EndsWith(".zip", StringComparison.Ordinal) ? filename[..^4] : filename[..^7];
            return !ProjectName.IsValid(sdistStem[..Math.Max(0, sdistStem.LastIndexOf('-'))]);
        }

        var parts = stem.Split('-');
        return parts[0].Length == 0 || parts[^3..].Any(tags => tags.Split('.').Any(tag => tag.Length == 0));
    }
}
