namespace PypiLocal.AppHost.Hosting;

/// <summary>Run or publish, as Aspire's DistributedApplicationExecutionContext.</summary>
internal sealed record DistributedApplicationExecutionContext(bool IsPublishMode)
{
    public bool IsRunMode => !IsPublishMode;
}
