using PypiLocal.Protocol.Simple;

namespace PypiLocal.Core.Upstream;

/// <summary>What asking an upstream index for a project page gave.</summary>
public abstract record UpstreamPageResult;

/// <summary>The index has no such project (404 or 410).</summary>
public sealed record UpstreamNotFound : UpstreamPageResult;

/// <summary>The kept page is still current (304).</summary>
public sealed record UpstreamNotModified(string? ETag, string? LastModified) : UpstreamPageResult;

/// <summary>A page, read from JSON or HTML, with its final URL and validators.</summary>
public sealed record UpstreamFound(ReadProjectPage Page, Uri PageUrl, string? ETag, string? LastModified) : UpstreamPageResult;

/// <summary>The index could not be reached, timed out, answered an error or an unreadable page.</summary>
public sealed record UpstreamFailed(string Reason) : UpstreamPageResult;
