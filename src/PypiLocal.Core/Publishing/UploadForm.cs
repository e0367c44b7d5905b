namespace PypiLocal.Core.Publishing;

/// <summary>
/// The legacy upload form: its text fields (names lowercased, repeated fields kept in order) and the staged file.
/// Values are read as Warehouse's sanitizer reads them: empty and "UNKNOWN" count as absent.
/// </summary>
public sealed class UploadForm(IReadOnlyDictionary<string, IReadOnlyList<string>> fields, StagedUpload? content)
{
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Fields { get; } = fields;

    /// <summary>The staged <c>content</c> part, or null when the request carried no file.</summary>
    public StagedUpload? Content { get; } = content;

    /// <summary>The first meaningful value of a field, trimmed, or null.</summary>
    public string? Get(string name) => GetAll(name) is [var first, ..] ? first : null;

    /// <summary>Every meaningful value of a field.</summary>
    public IReadOnlyList<string> GetAll(string name) =>
        Fields.TryGetValue(name, out var values)
            ? values.Select(v => v.Trim()).Where(v => v.Length > 0 && v != "UNKNOWN").ToList()
            : [];
}
