using System.Text;
using System.Text.RegularExpressions;

namespace PypiLocal.Protocol.Metadata;

/// <summary>
/// Core metadata (METADATA / PKG-INFO): RFC 822-style headers with continuation lines, repeated
/// fields kept in order, and the description in the body or the Description header.
/// </summary>
public sealed partial class CoreMetadata
{
    // distutils indented continuation lines by 8 spaces, setuptools by 7 spaces and '|'.
    private const string SpacePrefix = "        ";
    private const string BarPrefix = "       |";

    private CoreMetadata(IReadOnlyList<KeyValuePair<string, string>> fields, string? body)
    {
        Fields = fields;
        Body = body;
    }

    /// <summary>Every header in file order, names as written.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields { get; }

    /// <summary>The message body after the blank line, or null.</summary>
    public string? Body { get; }

    public string? MetadataVersion => Get("Metadata-Version");
    public string? Name => Get("Name");
    public string? Version => Get("Version");
    public string? Summary => Get("Summary");
    public string? RequiresPython => Get("Requires-Python");
    public IReadOnlyList<string> RequiresDist => GetAll("Requires-Dist");
    public IReadOnlyList<string> ProvidesExtra => GetAll("Provides-Extra");
    public IReadOnlyList<string> Classifiers => GetAll("Classifier");

    /// <summary>The body, else the Description header (continuation indentation removed).</summary>
    public string? Description => Body ?? Get("Description");

    /// <summary>The first value of a header (case-insensitive name), or null.</summary>
    public string? Get(string field)
    {
        foreach (var (name, value) in Fields)
        {
            if (string.Equals(name, field, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>Every value of a header (case-insensitive name), in order.</summary>
    public IReadOnlyList<string> GetAll(string field) =>
        [.. Fields.Where(f => string.Equals(f.Key, field, StringComparison.OrdinalIgnoreCase)).Select(f => f.Value)];

    /// <summary>Parses UTF-8 metadata bytes; invalid UTF-8 is decoded with replacement characters, never thrown.</summary>
    public static CoreMetadata Parse(ReadOnlySpan<byte> utf8) => Parse(Encoding.UTF8.GetString(utf8));

    public static CoreMetadata Parse(string text)
    {
        var lines = SplitLines(text.TrimStart('\uFEFF'));
        var fields = new List<KeyValuePair<string, string>>();
        string? currentName = null;
        var currentValue = new StringBuilder();
        var index = 0;
        for (; index < lines.Length; index++)
        {
            var line = lines[index];
            if (line.Length == 0)
            {
                index++; // The blank separator line is not part of the body.
                break;
            }

            if (line[0] is ' ' or '\t')
            {
                // A continuation before any header is a defect: dropped, as Python's email parser does.
                currentValue.Append('\n').Append(Dedent(line));
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line.AsSpan(0, colon).ContainsAny(" \t"))
            {
                break; // Not a header: like Python's email parser, the body starts here.
            }

            Flush();
            currentName = line[..colon];
            currentValue.Append(line.AsSpan(colon + 1).TrimStart(" \t"));
        }

        Flush();
        var body = index < lines.Length ? string.Join('\n', lines.Skip(index)) : null;
        return new CoreMetadata(fields, string.IsNullOrWhiteSpace(body) ? null : body);

        void Flush()
        {
            if (currentName is not null)
            {
                fields.Add(new(currentName, currentValue.ToString().TrimEnd()));
            }

            currentName = null;
            currentValue.Clear();
        }
    }

    private static string Dedent(string line) =>
        line.StartsWith(BarPrefix, StringComparison.Ordinal) || line.StartsWith(SpacePrefix, StringComparison.Ordinal)
            ? line[SpacePrefix.Length..]
            : line.TrimStart(' ', '\t');

    // CRLF, LF and lone CR end a line (Python's email parser); other Unicode breaks stay text.
    private static string[] SplitLines(string text) => LineBreak().Split(text);

    [GeneratedRegex("\r\n|\r|\n")]
    private static partial Regex LineBreak();
}
