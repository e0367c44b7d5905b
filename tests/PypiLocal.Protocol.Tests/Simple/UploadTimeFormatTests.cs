using PypiLocal.Protocol.Simple;

namespace PypiLocal.Protocol.Tests.Simple;

public sealed class UploadTimeFormatTests
{
    [Theory]
    [InlineData(0L, 0, "2024-01-02T03:04:05.000000Z")]
    [InlineData(1234567L, 0, "2024-01-02T03:04:05.123456Z")] // Seven .NET digits become six.
    [InlineData(9999999L, 0, "2024-01-02T03:04:05.999999Z")]
    [InlineData(0L, 5, "2024-01-01T22:04:05.000000Z")] // Converted to UTC.
    [InlineData(0L, -3, "2024-01-02T06:04:05.000000Z")]
    public void Formats_utc_with_six_digits_and_z(long ticks, int offsetHours, string expected)
    {
        var time = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(offsetHours)).AddTicks(ticks);
        var formatted = UploadTimeFormat.Format(time);
        Assert.Equal(expected, formatted);
        Assert.Matches(SimpleJsonWriterTests.UploadTimePattern, formatted);
    }

    [Fact]
    public void Ignores_the_current_culture()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("ar-SA");
            Assert.Equal("2024-01-02T03:04:05.000000Z", UploadTimeFormat.Format(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero)));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }
}
