using PypiLocal.Core.Catalog;
using PypiLocal.Core.Upstream;

namespace PypiLocal.Core.Downloads;

/// <summary>How a request for a file or its <c>.metadata</c> is answered.</summary>
public abstract record DownloadAnswer;

/// <summary>Bytes this index has: a local file or a kept upstream one (stream or redirect).</summary>
public sealed record ServeDownload(DownloadTarget Target) : DownloadAnswer;

/// <summary>An upstream file being fetched: clients read it while it arrives.</summary>
public sealed record FetchDownload(UpstreamFetch Fetch) : DownloadAnswer;

/// <summary>404: no such file here or upstream.</summary>
public sealed record MissingDownload(string Message) : DownloadAnswer;

/// <summary>403: a release policy holds the file back (lockfiles fetch files without reading pages).</summary>
public sealed record RefusedDownload(string Reason) : DownloadAnswer;

/// <summary>502: the upstream failed and nothing kept can stand in.</summary>
public sealed record FailedDownload(string Reason) : DownloadAnswer;
