using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PypiLocal.Core.Auth;

namespace PypiLocal.Core.Tests.Auth;

public sealed class UserRightsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pypilocal-rights-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static UserRights Rights(AuthOptions options) => new(Options.Create(options), NullLogger<UserRights>.Instance);

    private string RightsFile(string text)
    {
        var path = Path.Combine(_folder, "rights");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void With_no_rights_configured_every_account_may_do_everything_as_before()
    {
        var rights = Rights(new AuthOptions());

        Assert.False(rights.IsConfigured);
        Assert.True(rights.For("anyone").Allows(AccessRight.Admin, "any-project"));
    }

    [Fact]
    public void The_file_and_the_settings_grant_per_user_and_to_every_account()
    {
        var options = new AuthOptions
        {
            RightsFile = RightsFile("# user right projects\nbob upload widgets corp-*\n*   read\n\nalice admin\n"),
            Rights = new() { ["bob"] = ["maintain widgets"] },
        };

        var rights = Rights(options);

        Assert.True(rights.For("bob").Allows(AccessRight.Maintain, "widgets"));
        Assert.True(rights.For("bob").Allows(AccessRight.Upload, "corp-x"));
        Assert.False(rights.For("bob").Allows(AccessRight.Upload, "other"));
        Assert.True(rights.For("carol").Allows(AccessRight.Read, "other"));
        Assert.False(rights.For("carol").Allows(AccessRight.Upload, "widgets"));
        Assert.True(rights.For("alice").Allows(AccessRight.Admin, "anything"));
    }

    [Fact]
    public void Bad_grants_stop_the_start_with_their_key_or_line()
    {
        var options = new AuthOptions
        {
            RightsFile = RightsFile("bob upload widgets\nbob write widgets\ncarol\n"),
            Rights = new() { ["dave"] = ["upload ok", "publish x"] },
        };

        var result = new AuthOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Auth:Rights:dave:1: unknown right 'publish'", result.FailureMessage);
        Assert.Contains("line 2: unknown right 'write'", result.FailureMessage);
        Assert.Contains("line 3: a line is USER RIGHT", result.FailureMessage);
        Assert.Contains("Auth:RightsFile: '/nowhere' does not exist", new AuthOptionsValidator().Validate(null, new AuthOptions { RightsFile = "/nowhere" }).FailureMessage);
    }

    [Fact]
    public void A_bad_line_written_while_running_grants_less_never_more()
    {
        var path = RightsFile("bob upload widgets\n");
        var rights = Rights(new AuthOptions { RightsFile = path });
        Assert.True(rights.For("bob").Allows(AccessRight.Upload, "widgets"));

        File.WriteAllText(path, "bob uplaod widgets\n# edited\n");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(5));

        Assert.False(rights.For("bob").Allows(AccessRight.Upload, "widgets"));
    }
}
