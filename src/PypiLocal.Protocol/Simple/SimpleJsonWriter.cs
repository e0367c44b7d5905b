namespace PypiLocal.Protocol.Simple;

/// <summary>PEP 691 JSON with the PEP 700 fields (api-version 1.1), as UTF-8 bytes. Never writes <c>dist-info-metadata</c>.</summary>
public static class SimpleJsonWriter
{
    public const string ApiVersion = "1.1";

    public static byte[] WriteProjectList(SimpleProjectList list) => throw new NotImplementedException();

    public static byte[] WriteProjectPage(SimpleProjectPage page) => throw new NotImplementedException();
}
