using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Abstractions;
using Microsoft.AspNetCore.Http.Features;
using PypiLocal.Api.Endpoints;
using PypiLocal.Core.Caching;

namespace PypiLocal.Api.Hosting;

/// <summary>
/// Kestrel, answering the reads installers make most (a cached project page, a wheel's <c>.metadata</c>, a small local
/// file) as soon as the request is parsed (<see cref="EarlyReads"/>), before ASP.NET's hosting layer makes an
/// <see cref="HttpContext"/> and runs the middleware: about an eighth of a cached page's CPU (bench/README.md, "Pages
/// answered before the hosting layer") and a quarter of a <c>.metadata</c>'s ("Files answered before the hosting layer").
/// Every other request goes to the hosting layer as before. The request duration metric is recorded for early answers
/// too (<see cref="HostingRequestMetrics"/>).
/// </summary>
internal sealed class EarlyReadServer(IServer kestrel, EarlyReads reads, HostingRequestMetrics metrics) : IServer
{
    private const string KestrelKey = "kestrel";

    public IFeatureCollection Features => kestrel.Features;

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull =>
        kestrel.StartAsync(new EarlyReadApplication<TContext>(application, reads, metrics), cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => kestrel.StopAsync(cancellationToken);

    public void Dispose() => kestrel.Dispose();

    /// <summary>
    /// Puts this server in front of the one configured (Kestrel), unless <paramref name="enabled"/> says that early answers
    /// could differ from the pipeline's (a base path, a request log, forwarded headers: see its caller).
    /// </summary>
    public static void AddTo(IServiceCollection services, Func<IServiceProvider, bool> enabled)
    {
        var server = services.Last(d => d.ServiceType == typeof(IServer));
        services.Remove(server);
        services.Add(ServiceDescriptor.KeyedSingleton(typeof(IServer), KestrelKey,
            server.ImplementationType ?? throw new InvalidOperationException("Kestrel is registered by its type; another server is not wrapped.")));
        services.AddSingleton<EarlyPages>();
        services.AddSingleton<EarlyFiles>();
        services.AddSingleton<EarlyReads>();
        services.AddSingleton<HostingRequestMetrics>();
        services.AddSingleton<IServer>(provider => provider.GetRequiredKeyedService<IServer>(KestrelKey) is var inner && enabled(provider)
            ? new EarlyReadServer(inner, provider.GetRequiredService<EarlyReads>(), provider.GetRequiredService<HostingRequestMetrics>())
            : inner);
    }
}

/// <summary>
/// One request's state between Kestrel's calls (create, process, dispose): Kestrel keeps one per connection for reuse.
/// Not generic over the hosting layer's context, so that Native AOT compiles a finite set of
/// <see cref="IServer.StartAsync{TContext}"/> instantiations.
/// </summary>
internal sealed class EarlyReadRequest
{
    public IFeatureCollection Features = null!;
    public Task<CachedPage?>? Page;
    public EarlyFileRead? File;
    public object? Hosting;
    public bool Answered;
    public long Started;

    public void Clear()
    {
        Features = null!;
        Page = null;
        File = null;
        Hosting = null;
        Answered = false;
    }
}

/// <summary>
/// The application Kestrel runs: early answers first, the hosting layer's application for everything else. Kestrel
/// keeps this application's context per connection, not the hosting layer's, so the hosting layer makes a fresh
/// <see cref="HttpContext"/> for each request it takes; handing it a feature collection that kept one too made no
/// difference that paired runs could see (bench/README.md, "Pages answered before the hosting layer").
/// </summary>
internal sealed class EarlyReadApplication<TContext>(IHttpApplication<TContext> hosting, EarlyReads reads, HostingRequestMetrics metrics)
    : IHttpApplication<EarlyReadRequest> where TContext : notnull
{
    public EarlyReadRequest CreateContext(IFeatureCollection contextFeatures)
    {
        var request = contextFeatures is IHostContextContainer<EarlyReadRequest> container
            ? container.HostContext ??= new EarlyReadRequest()
            : new EarlyReadRequest();
        request.Features = contextFeatures;
        if (reads.Look(contextFeatures, request))
        {
            request.Started = Stopwatch.GetTimestamp();
        }
        else
        {
            request.Hosting = hosting.CreateContext(contextFeatures);
        }

        return request;
    }

    public Task ProcessRequestAsync(EarlyReadRequest context) =>
        context.Page is { } page ? AnswerPageAsync(context, page)
        : context.File is { } file ? AnswerFileAsync(context, file)
        : hosting.ProcessRequestAsync((TContext)context.Hosting!);

    public void DisposeContext(EarlyReadRequest context, Exception? exception)
    {
        if (context.Hosting is { } inner)
        {
            hosting.DisposeContext((TContext)inner, exception);
        }
        else if (context.Answered)
        {
            var request = context.Features.GetRequiredFeature<IHttpRequestFeature>();
            var status = context.Features.GetRequiredFeature<IHttpResponseFeature>().StatusCode;
            var route = context.Page is not null ? SimpleEndpoints.ProjectRoute : PackageEndpoints.Route;
            metrics.End(request.Scheme, request.Method, status, route, exception, context.Started);
        }

        context.Clear();
    }

    // A page held in memory is found at once, and then nothing here allocates; one fetched from Redis or rendered is awaited.
    private async Task AnswerPageAsync(EarlyReadRequest context, Task<CachedPage?> lookup)
    {
        await ((Task)lookup).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        // A lookup that failed goes the whole way too, with the lookup: the shortcut answers its failure (a 503, say).
        if (!lookup.IsCompletedSuccessfully || await lookup is not { } page || !EarlyPages.CanAnswer(page))
        {
            context.Features.Set(new EarlyPageLookup(lookup));
            await Pipeline(context);
            return;
        }

        context.Answered = true;
        await reads.Pages.AnswerAsync(context.Features, page);
    }

    // A download held in memory is found at once, and its answer taken without a task; one still looked up (read from
    // storage, an upstream's) is awaited as a task, which goes along with the request if it is not answered here.
    private async Task AnswerFileAsync(EarlyReadRequest context, EarlyFileRead file)
    {
        var lookup = file.Lookup.IsCompletedSuccessfully ? null : file.Lookup.AsTask();
        if (lookup is not null)
        {
            await ((Task)lookup).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        // Anything but bytes to send here, a lookup that failed among them, goes the whole way with the lookup.
        var answer = lookup is null ? file.Lookup.Result : lookup.IsCompletedSuccessfully ? await lookup : null;
        context.Answered = answer is not null && EarlyFiles.Answerable(answer) is { } target
            && await reads.Files.AnswerAsync(context.Features, target);
        if (!context.Answered)
        {
            context.Features.Set(file.PassedOn(lookup ?? Task.FromResult(answer!)));
            await Pipeline(context);
        }
    }

    // The hosting layer's turn, late: after a lookup that found nothing to answer early, which goes along. (Kestrel
    // clears a request's added features before the next request on the connection.)
    private Task Pipeline(EarlyReadRequest context)
    {
        var inner = hosting.CreateContext(context.Features);
        context.Hosting = inner;
        return hosting.ProcessRequestAsync(inner);
    }
}
