using System.Globalization;

namespace PypiLocal.AppHost.Kubernetes;

/// <summary>
/// The api pods' staging volume (<c>/tmp</c>, an emptyDir) sized from the upload limits written into their
/// ConfigMap: the largest file times the uploads a node stages at once, plus room for other temporary files.
/// The node is told the volume's size (<c>Publishing__StagingVolumeBytes</c>) and refuses to start if someone
/// raises a limit in the ConfigMap without growing the volume.
/// </summary>
internal static class UploadStaging
{
    public const long MaxFileSizeBytes = 1L << 30;
    public const int MaxConcurrentUploads = 4;
    private const long OtherTemporaryFilesBytes = 512L << 20;

    /// <summary>The emptyDir's size in bytes.</summary>
    public const long VolumeBytes = (MaxFileSizeBytes * MaxConcurrentUploads) + OtherTemporaryFilesBytes;

    /// <summary>The emptyDir's sizeLimit, in MiB (a Kubernetes quantity).</summary>
    public static string SizeLimit => (VolumeBytes >> 20).ToString(CultureInfo.InvariantCulture) + "Mi";

    /// <summary>The settings the node validates the volume against.</summary>
    public static void AddSettings(IDictionary<string, string> config)
    {
        config["Publishing__MaxFileSizeBytes"] = MaxFileSizeBytes.ToString(CultureInfo.InvariantCulture);
        config["Publishing__MaxConcurrentUploads"] = MaxConcurrentUploads.ToString(CultureInfo.InvariantCulture);
        config["Publishing__StagingVolumeBytes"] = VolumeBytes.ToString(CultureInfo.InvariantCulture);
    }
}
