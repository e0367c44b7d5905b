using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Abstractions;
using Microsoft.AspNetCore.Http.Features;
using PypiLocal.Api.Endpoints;
using PypiLocal.Core.Caching;

namespace PypiLocal.Api.Hosting;

/// <summary>
/// Kestrel, answering a cached project page as soon as its request is parsed (<see cref="EarlyPages"/>), before
/// ASP.NET's hosting layer makes an <see cref="HttpContext"/> and runs the middleware: about an eighth of a cached
/// page's CPU (bench/README.md, "Pages answered before the hosting layer"). Every other request goes to the hosting
/// layer as before. The request duration metric is recorded for early answers too (<see cref="HostingRequestMetrics"/>).
/// </summary>
internal sealed class EarlyPageServer(IServer kestrel, EarlyPages pages, HostingRequestMetrics metrics) : IServer
{
    private const string KestrelKey = "kestrel";

    public IFeatureCollection Features => kestrel.Features;

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull =>
        kestrel.StartAsync(new EarlyPageApplication<TContext>(application, pages, metrics), cancellationToken);

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
        services.AddSingleton<HostingRequestMetrics>();
        services.AddSingleton<IServer>(provider => provider.GetRequiredKeyedService<IServer>(KestrelKey) is var inner && enabled(provider)
            ? new EarlyPageServer(inner, provider.GetRequiredService<EarlyPages>(), provider.GetRequiredService<HostingRequestMetrics>())
            : inner);
    }
}

/// <summary>
/// One request's state between Kestrel's calls (create, process, dispose): Kestrel keeps one per connection for reuse.
/// Not generic over the hosting layer's context, so that Native AOT compiles a finite set of
/// <see cref="IServer.StartAsync{TContext}"/> instantiations.
/// </summary>
internal sealed class EarlyPageRequest
{
    public IFeatureCollection Features = null!;
    public Task<CachedPage?>? Lookup;
    public object? Hosting;
    public bool Answered;
    public long Started;

    public void Clear()
    {
        Features = null!;
        Lookup = null;
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
internal sealed class EarlyPageApplication<TContext>(IHttpApplication<TContext> hosting, EarlyPages pages, HostingRequestMetrics metrics)
    : IHttpApplication<EarlyPageRequest> where TContext : notnull
{
    public EarlyPageRequest CreateContext(IFeatureCollection contextFeatures)
    {
        var request = contextFeatures is IHostContextContainer<EarlyPageRequest> container
            ? container.HostContext ??= new EarlyPageRequest()
            : new EarlyPageRequest();
        request.Features = contextFeatures;
        request.Lookup = pages.Look(contextFeatures);
        if (request.Lookup is null)
        {
            request.Hosting = hosting.CreateContext(contextFeatures);
        }
        else
        {
            request.Started = Stopwatch.GetTimestamp();
        }

        return request;
    }

    public Task ProcessRequestAsync(EarlyPageRequest context) =>
        context.Lookup is { } lookup ? AnswerAsync(context, lookup) : hosting.ProcessRequestAsync((TContext)context.Hosting!);

    public void DisposeContext(EarlyPageRequest context, Exception? exception)
    {
        if (context.Hosting is { } inner)
        {
            hosting.DisposeContext((TContext)inner, exception);
        }
        else if (context.Answered)
        {
            var request = context.Features.GetRequiredFeature<IHttpRequestFeature>();
            var status = context.Features.GetRequiredFeature<IHttpResponseFeature>().StatusCode;
            metrics.End(request.Scheme, request.Method, status, SimpleEndpoints.ProjectRoute, exception, context.Started);
        }

        context.Clear();
    }

    // A page held in memory is found at once, and then nothing here allocates; one fetched from Redis or rendered is awaited.
    private async Task AnswerAsync(EarlyPageRequest context, Task<CachedPage?> lookup)
    {
        await ((Task)lookup).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        // A lookup that failed goes the whole way too, with the lookup: the shortcut answers its failure (a 503, say).
        if (!lookup.IsCompletedSuccessfully || await lookup is not { } page || !EarlyPages.CanAnswer(page))
        {
            await Pipeline(context);
            return;
        }

        context.Answered = true;
        await pages.AnswerAsync(context.Features, page);
    }

    // The hosting layer's turn, late: after a lookup that found nothing to answer early, which goes along. (Kestrel
    // clears a request's added features before the next request on the connection.)
    private Task Pipeline(EarlyPageRequest context)
    {
        context.Features.Set(new EarlyPageLookup(context.Lookup!));
        var inner = hosting.CreateContext(context.Features);
        context.Hosting = inner;
        return hosting.ProcessRequestAsync(inner);
    }
}

