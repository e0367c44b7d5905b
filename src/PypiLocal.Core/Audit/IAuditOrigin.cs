namespace PypiLocal.Core.Audit;

/// <summary>Where the change being recorded comes from: the web host answers the client's address, a command its machine.</summary>
public interface IAuditOrigin
{
    string? Address { get; }
}
