namespace PypiLocal.Protocol.Requirements;

/// <summary>What a requirements file asks for, and the lines this reader could not use (with their line numbers).</summary>
public sealed record RequirementsFile(IReadOnlyList<Requirement> Requirements, IReadOnlyList<string> Unsupported)
{
    /// <summary>
    /// Reads a pip requirements file: comments, line continuations, <c>--hash</c> and other per-line options are
    /// understood; <c>-r</c>/<c>--requirement</c> includes are followed (relative to the including file);
    /// constraints files, editable installs, URLs and local paths are listed as unsupported.
    /// </summary>
    public static RequirementsFile Read(string path)
    {
        var requirements = new List<Requirement>();
        var unsupported = new List<string>();
        Read(Path.GetFullPath(path), requirements, unsupported, new HashSet<string>(StringComparer.Ordinal));
        return new RequirementsFile(requirements, unsupported);
    }

    private static void Read(string path, List<Requirement> requirements, List<string> unsupported, HashSet<string> seen)
    {
        if (!seen.Add(path))
        {
            return;
        }

        var number = 0;
        foreach (var (line, lineNumber) in LogicalLines(File.ReadAllLines(path)))
        {
            number = lineNumber;
            var text = StripComment(line).Trim();
            if (text.Length == 0)
            {
                continue;
            }

            if (IncludedFile(text) is { } included)
            {
                Read(Path.GetFullPath(included, Path.GetDirectoryName(path)!), requirements, unsupported, seen);
                continue;
            }

            if (text.StartsWith('-'))
            {
                // Index options (--index-url, --extra-index-url, -c, -e, …) do not name a project to fetch.
                if (!text.StartsWith("--", StringComparison.Ordinal) || text.StartsWith("--editable", StringComparison.Ordinal) || text.StartsWith("--constraint", StringComparison.Ordinal))
                {
                    unsupported.Add($"{Path.GetFileName(path)}:{number}: {text}");
                }

                continue;
            }

            // Per-requirement options such as --hash=sha256:… follow the requirement.
            var requirementText = text.Split(" --", 2)[0].Trim();
            if (Requirement.TryParse(requirementText, out var requirement) && requirement.Url is null)
            {
                requirements.Add(requirement);
            }
            else
            {
                unsupported.Add($"{Path.GetFileName(path)}:{number}: {requirementText}");
            }
        }
    }

    private static string? IncludedFile(string text)
    {
        foreach (var option in new[] { "-r", "--requirement" })
        {
            if (text.StartsWith(option + " ", StringComparison.Ordinal) || text.StartsWith(option + "=", StringComparison.Ordinal))
            {
                return text[(option.Length + 1)..].Trim();
            }
        }

        return null;
    }

    /// <summary>Lines joined at a trailing backslash, each with the number of its first physical line.</summary>
    private static IEnumerable<(string Line, int Number)> LogicalLines(string[] lines)
    {
        var current = "";
        var start = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            if (current.Length == 0)
            {
                start = i + 1;
            }

            var line = lines[i];
            if (line.EndsWith('\\'))
            {
                current += line[..^1] + " ";
                continue;
            }

            yield return (current + line, start);
            current = "";
        }

        if (current.Length > 0)
        {
            yield return (current, start);
        }
    }

    // pip: a comment starts at '#' at the line start or after whitespace.
    private static string StripComment(string line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1])))
            {
                return line[..i];
            }
        }

        return line;
    }
}
