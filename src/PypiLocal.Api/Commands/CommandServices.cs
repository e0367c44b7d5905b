using System.CommandLine;
using PypiLocal.Api.Hosting;

namespace PypiLocal.Api.Commands;

/// <summary>
/// The services a maintenance command works with: the same configuration sources and backends the server
/// uses (appsettings, environment, <c>--Key=value</c> tokens), without starting a web host.
/// </summary>
internal static class CommandServices
{
    public static IConfigurationRoot BuildConfiguration(IEnumerable<string> unmatchedTokens, IDictionary<string, string?>? overrides = null)
    {
        var environment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Production";
        return new ConfigurationBuilder()
            .SetBasePath(Directory.GetCurrentDirectory())
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(unmatchedTokens.ToArray())
            .AddInMemoryCollection(overrides ?? new Dictionary<string, string?>())
            .Build();
    }

    /// <summary>A provider over the configured backends; disposed with the process, as commands are short-lived.</summary>
    public static ServiceProvider Build(ParseResult result, IDictionary<string, string?>? overrides = null)
    {
        var configuration = BuildConfiguration(result.UnmatchedTokens, overrides);
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        // The command reports upstream failures itself, in one line; the HTTP client and its resilience pipeline
        // would add a stack trace per attempt.
        services.AddLogging(logging => logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Polly", LogLevel.None)
            .AddFilter("System.Net.Http.HttpClient", LogLevel.None));
        services.AddPypiLocal(configuration);
        return services.BuildServiceProvider();
    }
}
