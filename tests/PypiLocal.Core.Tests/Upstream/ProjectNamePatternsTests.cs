using PypiLocal.Core.Upstream;

namespace PypiLocal.Core.Tests.Upstream;

public sealed class ProjectNamePatternsTests
{
    [Theory]
    [InlineData("requests", true)]
    [InlineData("acme-billing", false)]
    [InlineData("acme", true)]
    [InlineData("internal-x", false)]
    public void Deny_patterns_in_any_spelling_keep_names_from_upstream(string project, bool allowed) =>
        Assert.Equal(allowed, new ProjectNamePatterns([], ["ACME_*", "internal-?"]).Allows(project));

    [Fact]
    public void An_allow_list_admits_only_its_names_and_deny_wins()
    {
        var patterns = new ProjectNamePatterns(["num*", "requests"], ["numba"]);

        Assert.True(patterns.Allows("numpy"));
        Assert.True(patterns.Allows("requests"));
        Assert.False(patterns.Allows("numba"));
        Assert.False(patterns.Allows("flask"));
    }

    [Theory]
    [InlineData("acme-*", true)]
    [InlineData("a/b", false)]
    [InlineData(" ", false)]
    public void Patterns_are_names_with_wildcards(string pattern, bool valid) =>
        Assert.Equal(valid, ProjectNamePatterns.IsValid(pattern));
}
