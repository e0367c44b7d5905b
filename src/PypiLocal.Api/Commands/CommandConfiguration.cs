namespace PypiLocal.Api.Commands;

/// <summary>The configuration a maintenance command sees: the same sources the server reads, without starting it.</summary>
internal static class CommandConfiguration
{
    public static IConfigurationRoot Build(IEnumerable<string> unmatchedTokens, IDictionary<string, string?>? overrides = null)
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
}
