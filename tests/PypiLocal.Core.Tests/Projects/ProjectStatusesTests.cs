using Microsoft.Extensions.Options;
using PypiLocal.Core.Projects;

namespace PypiLocal.Core.Tests.Projects;

public sealed class ProjectStatusesTests
{
    private static ProjectStatusOptions Options(params (string Name, string Status)[] projects)
    {
        var options = new ProjectStatusOptions();
        foreach (var (name, status) in projects)
        {
            options.Projects[name] = new ProjectSettings { Status = status };
        }

        return options;
    }

    [Fact]
    public void Names_are_matched_in_normalized_form_and_statuses_case_insensitively()
    {
        var statuses = new ProjectStatuses(Microsoft.Extensions.Options.Options.Create(Options(("Old_Lib", "Archived"))));

        Assert.Equal("archived", statuses.For("old-lib")?.Status);
        Assert.True(statuses.RefusesUploads("old-lib"));
        Assert.False(statuses.HidesFiles("old-lib"));
        Assert.Null(statuses.For("other"));
    }

    [Theory]
    [InlineData("lib", "frozen")]
    [InlineData("-bad-", "archived")]
    public void Unknown_statuses_and_invalid_names_are_configuration_errors_naming_the_key(string name, string status)
    {
        var errors = ProjectStatuses.Validate(Options((name, status))).ToList();

        Assert.Single(errors);
        Assert.Contains($"Projects:{name}:Status", errors[0]);
    }
}
