namespace PypiLocal.Core.Audit;

/// <summary>Changes made by the command line come from the machine it runs on.</summary>
public sealed class CommandAuditOrigin : IAuditOrigin
{
    public string? Address { get; } = "cli:" + Environment.MachineName;
}
