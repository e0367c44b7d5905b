namespace PypiLocal.Protocol.Simple;

/// <summary>PEP 503 HTML (repository version 1.x, frozen by PEP 833), as UTF-8 bytes.</summary>
public static class SimpleHtmlWriter
{
    public const string RepositoryVersion = "1.1";

    public static byte[] WriteProjectList(SimpleProjectList list) => throw new NotImplementedException();

    public static byte[] WriteProjectPage(SimpleProjectPage page) => throw new NotImplementedException();
}
