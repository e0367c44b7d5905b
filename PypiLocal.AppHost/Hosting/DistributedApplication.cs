using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PypiLocal.AppHost.Orchestration;
using PypiLocal.AppHost.Publishing;
using Yarp.ReverseProxy.Configuration;

namespace PypiLocal.AppHost.Hosting;

/// <summary>The built app model: publishes artifacts or runs everything (Aspire: DistributedApplication).</summary>
internal sealed class DistributedApplication(DistributedApplicationBuilder builder)
{
    public static DistributedApplicationBuilder CreateBuilder(string[] args)
    {
        if (args.Any(a => a is "--help" or "-h" or "-?"))
        {
            Console.WriteLine(AppHostOptions.Usage);
            Environment.Exit(0);
        }
        try
        {
            return new DistributedApplicationBuilder(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Environment.Exit(2);
            throw;
        }
    }

    /// <summary>Runs until Ctrl+C or SIGTERM (run mode) or writes the publisher's output; returns the exit code.</summary>
    public int Run()
    {
        var options = builder.Options;
        switch (options.Publisher)
        {
            case "manifest":
                Console.WriteLine($"Wrote {ManifestPublisher.Publish(builder, options.OutputPath!)}");
                return 0;
            case "kubernetes":
                Console.WriteLine($"Wrote {KubernetesPublisher.Publish(builder, options.OutputPath!)}");
                return 0;
        }

        var output = new ConsoleOutput(Console.Out);
        // Checked before anything starts, so a taken port never leaves processes behind.
        if (!PortIsFree(options.Port))
        {
            output.Info($"error: port {options.Port} is in use; choose another with --port");
            return 1;
        }
        var web = WebApplication.CreateSlimBuilder();
        web.Logging.ClearProviders();
        web.Logging.AddProvider(new PrefixedLoggerProvider(output));
        web.Logging.SetMinimumLevel(LogLevel.Warning);
        web.Logging.AddFilter("Yarp", LogLevel.Error);
        // The balancer stores no keys; the ephemeral key ring warning is noise here.
        web.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        web.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenLocalhost(options.Port);
            // Wheels can be large; the replicas enforce their own upload limit.
            kestrel.Limits.MaxRequestBodySize = null;
        });
        web.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(60));
        web.Services.AddReverseProxy().LoadFromMemory(LoadBalancer.Routes, [LoadBalancer.Cluster(new Dictionary<string, string>())]);
        web.Services.AddSingleton(builder);
        web.Services.AddSingleton(output);
        web.Services.AddSingleton(new BackingServiceResolver(BackingServiceResolver.FindOnPath, ContainerRuntime.Detect, options.DataDirectory));
        web.Services.AddSingleton(sp => new LoadBalancer(sp.GetRequiredService<InMemoryConfigProvider>()));
        web.Services.AddSingleton(sp => ActivatorUtilities.CreateInstance<RunOrchestrator>(sp));
        web.Services.AddHostedService(sp => sp.GetRequiredService<RunOrchestrator>());

        var app = web.Build();
        app.Services.GetRequiredService<RunOrchestrator>().BalancerUrl = $"http://localhost:{options.Port}";
        app.MapReverseProxy();
        output.Info($"PypiLocal AppHost: {string.Join(", ", builder.Resources.Select(r => r.Name))}; Ctrl+C stops everything");
        try
        {
            app.Run();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // The host failed after the orchestrator began: stop whatever it started, as a normal shutdown would.
            output.Info($"error: {e.Message}");
            app.Services.GetRequiredService<RunOrchestrator>().StopAsync(CancellationToken.None).GetAwaiter().GetResult();
            return 1;
        }
        return Environment.ExitCode;
    }

    private static bool PortIsFree(int port)
    {
        try
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
