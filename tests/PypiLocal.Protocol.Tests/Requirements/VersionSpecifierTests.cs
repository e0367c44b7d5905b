using PypiLocal.Protocol.Requirements;
using PypiLocal.Protocol.Versions;

namespace PypiLocal.Protocol.Tests.Requirements;

/// <summary>Cases from packaging's specifier tests, for the operators prefetch meets in requirements files.</summary>
public sealed class VersionSpecifierTests
{
    [Theory]
    [InlineData(">=1.0,<2", "1.5", true)]
    [InlineData(">=1.0,<2", "2.0", false)]
    [InlineData("<2", "2.0rc1", false)]
    [InlineData("<2rc2", "2.0rc1", true)]
    [InlineData(">1.0", "1.0.post1", false)]
    [InlineData(">1.0", "1.0.1", true)]
    [InlineData(">1.0", "1.0+local", false)]
    [InlineData("~=1.4.2", "1.4.9", true)]
    [InlineData("~=1.4.2", "1.5.0", false)]
    [InlineData("~=1.4", "1.9", true)]
    [InlineData("~=1.4", "2.0", false)]
    [InlineData("==1.2.*", "1.2.7", true)]
    [InlineData("==1.2.*", "1.3", false)]
    [InlineData("!=1.2.*", "1.3", true)]
    [InlineData("==1.0", "1.0.0", true)]
    [InlineData("==1.0", "1.0+ubuntu.1", true)]
    [InlineData("==1.0+ubuntu.1", "1.0", false)]
    [InlineData("<=2.0", "2.0+local", true)]
    [InlineData("===1.0", "1.0", true)]
    [InlineData("===1.0", "1.0.0", false)]
    [InlineData("", "7.0", true)]
    public void Contains_follows_pep_440(string specifier, string version, bool expected)
    {
        Assert.True(VersionSpecifier.TryParse(specifier, out var parsed));
        Assert.Equal(expected, parsed.Contains(PackageVersion.Parse(version)));
    }

    [Theory]
    [InlineData("~=1")]
    [InlineData(">=1.*")]
    [InlineData("=>1.0")]
    [InlineData(">=banana")]
    public void Invalid_specifiers_are_refused(string specifier) =>
        Assert.False(VersionSpecifier.TryParse(specifier, out _));

    [Fact]
    public void A_clause_naming_a_pre_release_includes_pre_releases()
    {
        Assert.True(VersionSpecifier.TryParse(">=2.0b1", out var pre));
        Assert.True(VersionSpecifier.TryParse(">=2.0", out var final));

        Assert.True(pre.IncludesPrereleases);
        Assert.False(final.IncludesPrereleases);
    }
}
