using PypiLocal.Core.Auth;
using PypiLocal.Core.Catalog;

namespace PypiLocal.Core.Tests.Auth;

/// <summary>Which projects a caller's lists show, and which callers share a filtered page.</summary>
public sealed class ReadScopeTests
{
    private static readonly ProjectSummary[] Projects = [new("closed-lib", "Closed_Lib"), new("open-lib", "Open_Lib"), new("open-tool", "open-tool"), new("widgets", "widgets")];

    private static GrantSet Rights(params string[] grants) => new([.. grants.SelectMany(AccessGrant.Parse)]);

    private static string[] Shown(ReadScope scope) => [.. scope.Filter(Projects).Select(p => p.Project)];

    [Theory]
    [InlineData("read")]
    [InlineData("admin *")]
    [InlineData("upload widgets", "read *")]
    public void Rights_that_read_every_project_see_the_whole_list_unfiltered(params string[] grants)
    {
        var scope = ReadScope.Of(Rights(grants));

        Assert.Same(ReadScope.Everything, scope);
        Assert.Same(Projects, scope.Filter(Projects));
        Assert.Equal("", scope.Key);
    }

    [Fact]
    public void Anyone_and_an_account_without_configured_rights_see_everything() =>
        Assert.Same(ReadScope.Everything, ReadScope.Of(IndexUser.Anonymous.Rights));

    [Theory]
    [InlineData(new[] { "read open-*" }, new[] { "open-lib", "open-tool" })]
    [InlineData(new[] { "read Open_*" }, new[] { "open-lib", "open-tool" })]
    [InlineData(new[] { "read open-lib", "upload widgets" }, new[] { "open-lib", "widgets" })]
    [InlineData(new[] { "maintain nothing-here" }, new string[0])]
    public void Other_rights_see_only_the_projects_they_may_read_in_list_order(string[] grants, string[] shown)
    {
        var scope = ReadScope.Of(Rights(grants));

        Assert.False(scope.IsEverything);
        Assert.Equal(shown, Shown(scope));
    }

    [Fact]
    public void A_token_sees_only_what_both_it_and_the_account_that_made_it_may_read()
    {
        var token = Rights("read open-* widgets").Within(Rights("read open-lib widgets"));

        Assert.Equal(["open-lib", "widgets"], Shown(ReadScope.Of(token)));
    }

    [Fact]
    public void Callers_with_the_same_read_patterns_share_a_key_and_others_do_not()
    {
        var carol = ReadScope.Of(Rights("read open-*", "read widgets"));
        var dave = ReadScope.Of(Rights("upload widgets", "read Open_*", "read open-*"));
        var erin = ReadScope.Of(Rights("read open-*"));
        var limited = ReadScope.Of(Rights("read open-*", "read widgets").Within(Rights("read open-*")));

        Assert.Equal(carol.Key, dave.Key);
        Assert.Matches("^[0-9a-f]{16}$", carol.Key);
        Assert.NotEqual(carol.Key, erin.Key);
        Assert.NotEqual(carol.Key, limited.Key);
        Assert.NotEqual(erin.Key, limited.Key);
    }
}
