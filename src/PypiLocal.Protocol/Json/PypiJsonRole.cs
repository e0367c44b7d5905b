namespace PypiLocal.Protocol.Json;

/// <summary>One entry of <c>ownership.roles</c>: a role ("Owner" or "Maintainer") and a user name.</summary>
public sealed record PypiJsonRole(string Role, string User);
