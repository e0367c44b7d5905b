using PypiLocal.Protocol.Filenames;
using PypiLocal.Protocol.Text;

namespace PypiLocal.Protocol.Tests.Text;

public sealed class SharedTextTests
{
    [Fact]
    public void Gives_one_instance_for_equal_text()
    {
        var first = SharedText.Share(new string("shared-text-test"));

        Assert.Same(first, SharedText.Share(new string("shared-text-test")));
        Assert.Equal("shared-text-test", first);
    }

    [Fact]
    public void Wheels_share_their_tags()
    {
        Assert.True(DistributionFilename.TryParse("a-1.0-py3-none-any.whl", out var a));
        Assert.True(DistributionFilename.TryParse("b-2.0-py3-none-any.whl", out var b));

        Assert.Same(a.PythonTag, b.PythonTag);
        Assert.Same(a.AbiTag, b.AbiTag);
        Assert.Same(a.PlatformTag, b.PlatformTag);
    }

    [Fact]
    public void Filenames_share_the_versions_they_spell_alike()
    {
        Assert.True(DistributionFilename.TryParse("a-1.0-py3-none-any.whl", out var wheel));
        Assert.True(DistributionFilename.TryParse("b-1.0.tar.gz", out var sdist));
        Assert.True(DistributionFilename.TryParse("c-1.0.0.tar.gz", out var other));

        Assert.Same(wheel.Version, sdist.Version);
        Assert.Same(wheel.VersionPart, sdist.VersionPart);
        Assert.Equal(wheel.Version, other.Version);
        Assert.Equal("1.0.0", other.VersionPart);
    }
}
