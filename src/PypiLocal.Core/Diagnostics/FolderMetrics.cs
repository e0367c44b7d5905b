using System.Diagnostics.Metrics;

namespace PypiLocal.Core.Diagnostics;

/// <summary>What the folder backend does with the bytes of its files, on the <see cref="PypiLocalMetrics.Meter"/>.</summary>
public static class FolderMetrics
{
    /// <summary>
    /// Files whose bytes were read to compute their facts (a new or changed file, or one whose record lacks a digest).
    /// A restart over an unchanged folder adds nothing: Prometheus <c>pypilocal_folder_files_hashed_total</c>.
    /// </summary>
    public static readonly Counter<long> FilesHashed =
        PypiLocalMetrics.Meter.CreateCounter<long>("pypilocal.folder.files.hashed", "{file}", "Files read and hashed to compute their facts");

    /// <summary>Files whose facts are being looked up or computed in the background: Prometheus <c>pypilocal_folder_files_pending</c>.</summary>
    public static readonly UpDownCounter<long> FilesPending =
        PypiLocalMetrics.Meter.CreateUpDownCounter<long>("pypilocal.folder.files.pending", "{file}", "Files waiting for their facts");

    /// <summary>Publishes both series at zero, so a scrape shows them before the first file is hashed.</summary>
    public static void Announce()
    {
        FilesHashed.Add(0);
        FilesPending.Add(0);
    }
}
