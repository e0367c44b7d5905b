namespace PypiLocal.Api.Pypiserver;

/// <summary>The pypiserver options that shape HTTP answers (section <c>Server</c>; the host's own top-level keys are <c>Hosting.ServerOptions</c>).</summary>
public sealed class PypiserverOptions
{
    public const string SectionName = "Server";

    /// <summary>An HTML file served as the home page, with pypiserver's <c>{{URL}}</c>, <c>{{VERSION}}</c>, <c>{{NUMPKGS}}</c>, <c>{{PACKAGES}}</c> and <c>{{SIMPLE}}</c> filled in (<c>--welcome</c>); null for our own home page.</summary>
    public string? WelcomeFile { get; set; }

    /// <summary>Where the health check also answers besides <c>/health</c> (<c>--health-endpoint</c>).</summary>
    public string HealthEndpoint { get; set; } = "/health";

    /// <summary>Seconds for <c>Cache-Control: public, max-age=N</c> on package files (<c>--cache-control</c>); null for none.</summary>
    public int? CacheControl { get; set; }
}
