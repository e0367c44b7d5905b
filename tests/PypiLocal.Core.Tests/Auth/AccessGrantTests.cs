using PypiLocal.Core.Auth;

namespace PypiLocal.Core.Tests.Auth;

/// <summary>Rights matching: the order of rights, patterns on normalized names, and what covers what.</summary>
public sealed class AccessGrantTests
{
    [Theory]
    [InlineData("upload widgets", AccessRight.Upload, "widgets", true)]
    [InlineData("upload widgets", AccessRight.Read, "widgets", true)]
    [InlineData("upload widgets", AccessRight.Maintain, "widgets", false)]
    [InlineData("upload widgets", AccessRight.Upload, "widgets-extra", false)]
    [InlineData("upload Corp_*", AccessRight.Upload, "corp-tools", true)]
    [InlineData("upload corp-*", AccessRight.Upload, "corpus", false)]
    [InlineData("maintain lib-?", AccessRight.Maintain, "lib-a", true)]
    [InlineData("maintain lib-?", AccessRight.Maintain, "lib-ab", false)]
    [InlineData("admin", AccessRight.Maintain, "anything", true)]
    [InlineData("read * ", AccessRight.Read, "anything", true)]
    [InlineData("read *", AccessRight.Upload, "anything", false)]
    [InlineData("upload a, b", AccessRight.Upload, "b", true)]
    public void A_grant_allows_its_right_and_the_lesser_ones_on_matching_projects(string grant, AccessRight right, string project, bool allowed) =>
        Assert.Equal(allowed, new GrantSet(AccessGrant.Parse(grant)).Allows(right, project));

    [Theory]
    [InlineData("")]
    [InlineData("write widgets")]
    [InlineData("upload wid/gets")]
    public void A_malformed_grant_is_refused_with_the_reason(string grant) =>
        Assert.Throws<FormatException>(() => AccessGrant.Parse(grant));

    [Theory]
    [InlineData("*", "corp-*", true)]
    [InlineData("corp-*", "corp-*", true)]
    [InlineData("corp-*", "corp-tools", true)]
    [InlineData("corp-*", "*", false)]
    [InlineData("corp-tools", "corp-*", false)]
    [InlineData("Corp_Tools", "corp.tools", true)]
    public void A_pattern_covers_only_what_it_surely_includes(string outer, string inner, bool covers) =>
        Assert.Equal(covers, ProjectPattern.Covers(outer, inner));

    [Fact]
    public void A_limited_set_allows_only_what_its_limit_allows_too()
    {
        var token = new GrantSet(AccessGrant.Parse("maintain *")).Within(new GrantSet(AccessGrant.Parse("upload widgets")));

        Assert.True(token.Allows(AccessRight.Upload, "widgets"));
        Assert.False(token.Allows(AccessRight.Maintain, "widgets"));
        Assert.False(token.Allows(AccessRight.Upload, "other"));
    }

    [Fact]
    public void Refusals_name_the_user_the_action_and_the_project()
    {
        var bob = new IndexUser("bob", new GrantSet(AccessGrant.Parse("read *")));

        Assert.Equal("User 'bob' may not upload to project 'x'.", bob.Refusal(AccessRight.Upload, "x"));
        Assert.Null(bob.Refusal(AccessRight.Read, "x"));
        Assert.Equal("Token 'ci' may not yank, delete or overwrite files of project 'x'.",
            new IndexUser("ci", new GrantSet(AccessGrant.Parse("upload x")), IsToken: true).Refusal(AccessRight.Maintain, "x"));
    }
}
