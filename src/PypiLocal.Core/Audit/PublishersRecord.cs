namespace PypiLocal.Core.Audit;

/// <summary>The trusted-publisher set last recorded in the audit trail, by fingerprint, so each change is recorded once.</summary>
public sealed record PublishersRecord(string Fingerprint, DateTimeOffset Recorded);
