namespace PypiLocal.Core.Upstream;

/// <summary>
/// An upstream index failed (unreachable, slow, 5xx, bad bytes) and nothing kept can stand in for what it was asked:
/// the client gets 502 with this message as the reason.
/// </summary>
public sealed class UpstreamUnavailableException(string message) : Exception(message);
