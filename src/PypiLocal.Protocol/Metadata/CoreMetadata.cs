namespace PypiLocal.Protocol.Metadata;

/// <summary>
/// Core metadata (METADATA / PKG-INFO): RFC 822-style headers with continuation lines, repeated
/// fields kept in order, and the description in the body or the Description header.
/// </summary>
public sealed class CoreMetadata
{
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
    public string? Description => throw new NotImplementedException();

    /// <summary>The first value of a header (case-insensitive name), or null.</summary>
    public string? Get(string field) => throw new NotImplementedException();

    /// <summary>Every value of a header (case-insensitive name), in order.</summary>
    public IReadOnlyList<string> GetAll(string field) => throw new NotImplementedException();

    /// <summary>Parses UTF-8 metadata bytes; invalid UTF-8 is decoded with replacement characters, never thrown.</summary>
    public static CoreMetadata Parse(ReadOnlySpan<byte> utf8) => throw new NotImplementedException();

    public static CoreMetadata Parse(string text) => throw new NotImplementedException();
}
