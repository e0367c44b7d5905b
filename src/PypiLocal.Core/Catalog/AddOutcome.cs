namespace PypiLocal.Core.Catalog;

/// <summary>How adding a distribution went.</summary>
public enum AddOutcome
{
    /// <summary>Stored and indexed.</summary>
    Created,

    /// <summary>A file of that name with the same bytes was already there: nothing changed.</summary>
    Identical,

    /// <summary>A file of that name with other bytes is there and overwriting is off: nothing changed.</summary>
    Conflict,

    /// <summary>A file of that name with other bytes was replaced (overwriting on).</summary>
    Replaced,
}
