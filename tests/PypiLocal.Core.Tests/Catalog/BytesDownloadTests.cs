using PypiLocal.Core.Catalog;

namespace PypiLocal.Core.Tests.Catalog;

public sealed class BytesDownloadTests
{
    [Fact]
    public void Its_last_modified_date_is_written_as_an_HTTP_date_in_GMT()
    {
        var download = new BytesDownload([1, 2, 3], new DateTimeOffset(2026, 12, 1, 8, 30, 5, TimeSpan.FromHours(2)), "\"abc\"");

        Assert.Equal("Tue, 01 Dec 2026 06:30:05 GMT", download.LastModifiedHttpDate);
    }
}
