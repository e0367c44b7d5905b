using System.CommandLine;
using PypiLocal.Core.Audit;

namespace PypiLocal.Api.Commands;

/// <summary>Records a change a command made in the configured storage's audit trail, by the operating-system user running it.</summary>
internal static class CommandAudit
{
    public static Task RecordAsync(ParseResult result, AuditChange change) =>
        CommandServices.Build(result).GetRequiredService<AuditTrail>().RecordAsync(AuditActor.CommandUser(), change);
}
