namespace PypiLocal.Protocol.Names;

/// <summary>PEP 503 / PEP 508 project names: validation and normalization.</summary>
public static class ProjectName
{
    /// <summary>True when <paramref name="name"/> is a valid project name (ASCII letters, digits, <c>._-</c>, alphanumeric at both ends).</summary>
    public static bool IsValid(string name) => throw new NotImplementedException();

    /// <summary>Lowercase, with each run of <c>-_.</c> collapsed into one <c>-</c>.</summary>
    public static string Normalize(string name) => throw new NotImplementedException();

    /// <summary>True when <paramref name="name"/> is already in normalized form.</summary>
    public static bool IsNormalized(string name) => throw new NotImplementedException();

    /// <summary>The name as it must appear in a distribution filename: normalized, with <c>-</c> turned into <c>_</c>.</summary>
    public static string ToFilenameComponent(string name) => throw new NotImplementedException();
}
