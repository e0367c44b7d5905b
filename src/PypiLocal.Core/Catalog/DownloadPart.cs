namespace PypiLocal.Core.Catalog;

/// <summary>Which bytes of a distribution a download asks for.</summary>
public enum DownloadPart
{
    /// <summary>The distribution file itself.</summary>
    File,

    /// <summary>Its PEP 658 core metadata (<c>&lt;filename&gt;.metadata</c>).</summary>
    CoreMetadata,
}
