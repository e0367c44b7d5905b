using System.Diagnostics.Metrics;

namespace PypiLocal.Core.Diagnostics;

/// <summary>
/// What the folder backend does with the bytes of its files, on the <see cref="PypiLocalMetrics.Meter"/>. Counted in
/// fields and observed when the meter is collected, so both series are there, at zero, from the first scrape: a
/// zero added before the exporter listened would be lost, and a restart that hashes nothing would show no series.
/// </summary>
public static class FolderMetrics
{
    private static long _filesHashed;
    private static long _filesPending;

    /// <summary>
    /// Files whose bytes were read to compute their facts (a new or changed file, or one whose record lacks a digest).
    /// A restart over an unchanged folder adds nothing: Prometheus <c>pypilocal_folder_files_hashed_total</c>.
    /// </summary>
    public static readonly ObservableCounter<long> FilesHashed = PypiLocalMetrics.Meter.CreateObservableCounter(
        "pypilocal.folder.files.hashed", () => Interlocked.Read(ref _filesHashed), "{file}", "Files read and hashed to compute their facts");

    /// <summary>Files whose facts are being looked up or computed in the background: Prometheus <c>pypilocal_folder_files_pending</c>.</summary>
    public static readonly ObservableUpDownCounter<long> FilesPending = PypiLocalMetrics.Meter.CreateObservableUpDownCounter(
        "pypilocal.folder.files.pending", () => Interlocked.Read(ref _filesPending), "{file}", "Files waiting for their facts");

    /// <summary>Creates both series (reading the fields runs this class's initializer), so they show before any file is counted.</summary>
    public static void Announce()
    {
        _ = FilesHashed;
        _ = FilesPending;
    }

    public static void FileHashed() => Interlocked.Increment(ref _filesHashed);

    public static void PendingChanged(long delta) => Interlocked.Add(ref _filesPending, delta);
}
