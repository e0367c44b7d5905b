using PypiLocal.Core.Upstream;

namespace PypiLocal.Core.Tests.Upstream;

public sealed class ReleasePolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    private static ReleasePolicy Policy(Action<UpstreamOptions> configure)
    {
        var options = new UpstreamOptions { Indexes = [new UpstreamIndexOptions { Name = "pypi", Url = new Uri("https://pypi.org/simple/") }] };
        configure(options);
        return new ReleasePolicy(options);
    }

    private static FileFacts Upstream(string project, TimeSpan age) => new(project, $"{project}-1.0.tar.gz", Now - age, "pypi");

    [Fact]
    public void A_file_younger_than_the_minimum_age_is_held_back_until_it_comes_of_age()
    {
        var policy = Policy(o => o.Policy.MinAge = TimeSpan.FromDays(7));

        var young = policy.Evaluate(Upstream("demo", TimeSpan.FromDays(2)), Now);
        var old = policy.Evaluate(Upstream("demo", TimeSpan.FromDays(8)), Now);

        Assert.False(young.Allowed);
        Assert.Equal(Now + TimeSpan.FromDays(5), young.AllowedFrom);
        Assert.Equal("demo-1.0.tar.gz was uploaded 2026-11-18T12:00:00.000000Z, less than the minimum age of 7 days ago; it is served from 2026-11-25T12:00:00.000000Z.", young.Reason);
        Assert.True(old.Allowed);
    }

    [Fact]
    public void The_project_setting_wins_over_the_index_which_wins_over_the_global_one()
    {
        var policy = Policy(o =>
        {
            o.Policy.MinAge = TimeSpan.FromDays(30);
            o.Indexes[0].MinAge = TimeSpan.FromDays(7);
            o.Projects["Fast_Lib"] = new UpstreamProjectOptions { MinAge = TimeSpan.FromHours(1) };
        });

        Assert.True(policy.Evaluate(Upstream("fast-lib", TimeSpan.FromHours(2)), Now).Allowed);
        Assert.False(policy.Evaluate(Upstream("other", TimeSpan.FromDays(3)), Now).Allowed);
        Assert.True(policy.Evaluate(Upstream("other", TimeSpan.FromDays(8)), Now).Allowed);
    }

    [Fact]
    public void Nothing_newer_than_the_cut_off_is_served_and_waiting_does_not_help()
    {
        var policy = Policy(o => o.Policy.NotNewerThan = Now - TimeSpan.FromDays(10));

        var verdict = policy.Evaluate(Upstream("demo", TimeSpan.FromDays(9)), Now);

        Assert.False(verdict.Allowed);
        Assert.Null(verdict.AllowedFrom);
        Assert.Contains("after this index's cut-off of 2026-11-10T12:00:00.000000Z", verdict.Reason, StringComparison.Ordinal);
        Assert.True(policy.Evaluate(Upstream("demo", TimeSpan.FromDays(11)), Now).Allowed);
    }

    [Theory]
    [InlineData(UnknownUploadTime.Deny, false)]
    [InlineData(UnknownUploadTime.Allow, true)]
    public void A_file_of_unknown_upload_time_follows_the_setting_while_a_time_policy_applies(UnknownUploadTime setting, bool allowed)
    {
        var policy = Policy(o =>
        {
            o.Policy.MinAge = TimeSpan.FromDays(7);
            o.Policy.UnknownUploadTime = setting;
        });

        Assert.Equal(allowed, policy.Evaluate(new FileFacts("demo", "demo-1.0.tar.gz", null, "pypi"), Now).Allowed);
        Assert.True(Policy(o => o.Policy.UnknownUploadTime = setting).Evaluate(new FileFacts("demo", "demo-1.0.tar.gz", null, "pypi"), Now).Allowed);
    }

    [Fact]
    public void Break_glass_lets_one_project_through()
    {
        var policy = Policy(o =>
        {
            o.Policy.MinAge = TimeSpan.FromDays(7);
            o.Projects["urgent-fix"] = new UpstreamProjectOptions { Bypass = true };
        });

        Assert.True(policy.Evaluate(Upstream("urgent-fix", TimeSpan.FromMinutes(5)), Now).Allowed);
        Assert.False(policy.Evaluate(Upstream("other", TimeSpan.FromMinutes(5)), Now).Allowed);
    }

    [Fact]
    public void Local_files_are_held_back_only_when_the_operator_says_so()
    {
        var local = new FileFacts("mine", "mine-1.0.tar.gz", Now, null);

        Assert.True(Policy(o => o.Policy.MinAge = TimeSpan.FromDays(7)).Evaluate(local, Now).Allowed);
        Assert.False(Policy(o => { o.Policy.MinAge = TimeSpan.FromDays(7); o.Policy.ApplyToLocal = true; }).Evaluate(local, Now).Allowed);
    }

    [Fact]
    public void The_stamp_names_the_settings_and_is_null_without_any()
    {
        Assert.Null(ReleasePolicy.None.Stamp);
        Assert.NotEqual(Policy(o => o.Policy.MinAge = TimeSpan.FromDays(7)).Stamp, Policy(o => o.Policy.MinAge = TimeSpan.FromDays(8)).Stamp);
        Assert.Equal(Policy(o => o.Indexes[0].Password = "a").Stamp, Policy(o => o.Indexes[0].Password = "b").Stamp);
    }

    [Theory]
    [InlineData(7 * 24 * 60, "7 days")]
    [InlineData(60, "1 hour")]
    [InlineData(90, "90 minutes")]
    public void Ages_read_as_people_write_them(int minutes, string text) =>
        Assert.Equal(text, ReleasePolicy.Describe(TimeSpan.FromMinutes(minutes)));
}
