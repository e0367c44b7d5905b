namespace PypiLocal.Core.Inspection;

/// <summary>A distribution file is not what its name says (corrupt archive, missing or ambiguous metadata, too large).</summary>
public sealed class InspectionException(string message, Exception? inner = null) : Exception(message, inner);
