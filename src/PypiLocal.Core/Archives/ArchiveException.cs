namespace PypiLocal.Core.Archives;

/// <summary>
/// A distribution archive that cannot be read within the limits: corrupt, a bomb, too many members, metadata too
/// large. The message completes "Invalid distribution file: …" and tells the user what is wrong.
/// </summary>
public sealed class ArchiveException(string message, Exception? inner = null) : Exception(message, inner);
