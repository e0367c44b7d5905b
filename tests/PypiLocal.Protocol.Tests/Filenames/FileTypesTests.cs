using PypiLocal.Protocol.Filenames;

namespace PypiLocal.Protocol.Tests.Filenames;

public sealed class FileTypesTests
{
    [Theory]
    [InlineData("a-1.0-py3-none-any.whl", true, false)]
    [InlineData("a-1.0.tar.gz", true, false)]
    [InlineData("a-1.0.zip", true, false)]
    [InlineData("a-1.0.tar.bz2", false, true)]
    [InlineData("a-1.0.tgz", false, true)]
    [InlineData("a-1.0.tar.xz", false, true)]
    [InlineData("a-1.0.tar", false, true)]
    [InlineData("a-1.0.egg", false, true)]
    [InlineData("a-1.0.EXE", false, true)]
    [InlineData("a-1.0.msi", false, true)]
    [InlineData("a-1.0.dmg", false, true)]
    [InlineData("a-1.0.rpm", false, true)]
    [InlineData("a-1.0.txt", false, false)]
    [InlineData("a-1.0.whl.metadata", false, false)]
    [InlineData("", false, false)]
    public void Classifies_by_extension(string filename, bool distribution, bool banned)
    {
        Assert.Equal(distribution, FileTypes.IsDistribution(filename));
        Assert.Equal(banned, FileTypes.IsBanned(filename));
    }
}
