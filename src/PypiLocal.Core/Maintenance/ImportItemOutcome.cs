namespace PypiLocal.Core.Maintenance;

/// <summary>What an import did with one file.</summary>
public enum ImportItemOutcome
{
    /// <summary>Stored and indexed.</summary>
    Added,

    /// <summary>Already in the index (or stored with the same bytes): nothing to do.</summary>
    Skipped,

    /// <summary>A different file of that name is stored: left alone.</summary>
    Conflict,

    /// <summary>Not a readable distribution, or its metadata does not match its name.</summary>
    Failed,
}
