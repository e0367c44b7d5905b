using Microsoft.Extensions.Options;

namespace PypiLocal.Core.Projects;

/// <summary>Refuses to start with an unknown status or an invalid project name, each error naming its key.</summary>
public sealed class ProjectStatusOptionsValidator : IValidateOptions<ProjectStatusOptions>
{
    public ValidateOptionsResult Validate(string? name, ProjectStatusOptions options) =>
        ProjectStatuses.Validate(options).ToList() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
}
