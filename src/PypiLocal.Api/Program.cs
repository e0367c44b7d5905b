using System.CommandLine;
using PypiLocal.Api.Commands;

// `pypilocal` with no command serves the configured storage; see `pypilocal --help`.
// Signals are left to the web host, which drains requests in flight before it stops.
return await PypiLocalCommandLine.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

/// <summary>The web host's entry point, also used by WebApplicationFactory in tests.</summary>
public partial class Program;
