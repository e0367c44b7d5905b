using System.Globalization;

namespace PypiLocal.Core.Catalog;

/// <summary>Where the bytes of a download come from.</summary>
public abstract record DownloadTarget;

/// <summary>The client fetches the bytes elsewhere (a presigned object-store URL).</summary>
public sealed record RedirectDownload(Uri Location) : DownloadTarget;

/// <summary>The node streams the bytes itself.</summary>
/// <param name="Open">Opens a readable, seekable stream of exactly <paramref name="Length"/> bytes (Range support seeks in it).</param>
/// <param name="Length">Size in bytes.</param>
/// <param name="LastModified">For Last-Modified and If-Range.</param>
/// <param name="ETag">A strong entity tag, quoted.</param>
public sealed record StreamDownload(
    Func<CancellationToken, Task<Stream>> Open,
    long Length,
    DateTimeOffset LastModified,
    string ETag) : DownloadTarget;

/// <summary>The node holds the bytes in memory (a wheel's core metadata, read from the archive once and kept).</summary>
/// <param name="Bytes">The whole content.</param>
/// <param name="LastModified">For Last-Modified and If-Range.</param>
/// <param name="ETag">A strong entity tag, quoted.</param>
public sealed record BytesDownload(byte[] Bytes, DateTimeOffset LastModified, string ETag) : DownloadTarget
{
    // Get-only, so no `with` can give the bytes a date the text below does not show.
    public DateTimeOffset LastModified { get; } = LastModified;

    /// <summary>
    /// <see cref="LastModified"/> as an HTTP date (RFC 9110 IMF-fixdate), formatted once: held bytes are answered many
    /// times, and formatting the date was about 1 % of a cached <c>.metadata</c> answer's CPU.
    /// </summary>
    public string LastModifiedHttpDate { get; } = LastModified.ToString("r", CultureInfo.InvariantCulture);

    /// <summary>A wheel's core metadata (PEP 658), tagged by its SHA-256: the digest index pages give for it.</summary>
    public static BytesDownload OfCoreMetadata(byte[] bytes, DateTimeOffset lastModified, string sha256) => new(bytes, lastModified, $"\"{sha256}\"");
}

/// <summary>The node sends a file from its own disk (the embedded mode's folders).</summary>
/// <param name="Path">The file's full path.</param>
/// <param name="Length">Size in bytes.</param>
/// <param name="LastModified">For Last-Modified and If-Range.</param>
/// <param name="ETag">A strong entity tag, quoted.</param>
public sealed record LocalFileDownload(string Path, long Length, DateTimeOffset LastModified, string ETag) : DownloadTarget;
