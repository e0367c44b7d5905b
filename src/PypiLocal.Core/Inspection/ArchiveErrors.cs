namespace PypiLocal.Core.Inspection;

/// <summary>
/// The exceptions .NET's zip and tar readers throw on damaged or hostile input (found by fuzzing): a corrupt
/// archive must become a clear refusal, never a 500.
/// </summary>
public static class ArchiveErrors
{
    public static bool IsCorruption(Exception e) =>
        e is InvalidDataException or FormatException or EndOfStreamException or ArgumentException
            or OverflowException or NotSupportedException or InvalidOperationException;
}
