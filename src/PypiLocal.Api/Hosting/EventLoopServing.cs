using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace PypiLocal.Api.Hosting;

/// <summary>
/// Reads answered from memory run whole on the socket's event thread, as an event-loop server runs them; everything
/// else runs on the thread pool. On one core a cached page cost about a quarter more CPU when each request crossed
/// from the event thread to a pool thread and back (bench/README.md, "Scheduling and the request pipeline").
/// <para>
/// Each accepted connection asks the runtime to complete its socket operations on the event thread (the per-socket
/// form of <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS</c>, so outbound sockets to upstreams, the object store
/// and Redis are untouched), and Kestrel runs the request where its bytes arrived
/// (<see cref="SocketTransportOptions.UnsafePreferInlineScheduling"/>). A request that is not an anonymous
/// <c>GET</c>/<c>HEAD</c> of a page or file (<see cref="MayStay"/>) leaves first: its connection completes on the
/// pool again until the response is over, so its body, password check or upstream fetch never holds up the other
/// connections. A file answer that streams leaves as well (<see cref="LeaveAsync"/>).
/// </para>
/// </summary>
internal static class EventLoopServing
{
    /// <summary>
    /// Whether this runtime has the per-socket switch: it is internal, so a runtime without it serves every request
    /// from the thread pool, as before, rather than failing every connection.
    /// </summary>
    public static bool Available { get; } = HasSwitch();

    /// <summary>Kestrel's transport runs requests where their bytes arrive; accepted sockets complete on the event thread.</summary>
    public static void UseEventLoopTransport(this WebApplicationBuilder builder)
    {
        if (!Available)
        {
            return;
        }

        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Use(next => connection =>
        {
            if (connection.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket)
            {
                SetPreferInlineCompletions(socket, true);
            }

            return next(connection);
        })));
    }

    /// <summary>First in the pipeline: a request that may not stay on the event thread leaves it before anything runs.</summary>
    public static void UseEventLoopServing(this WebApplication app) =>
        app.Use((context, next) => MayStay(context.Request) ? next(context) : LeaveThenAsync(context, next));

    /// <summary>Anonymous reads of pages and files over HTTP/1.x: what an event loop answers from memory.</summary>
    public static bool MayStay(HttpRequest request) =>
        AnonymousReadLimit.IsAnonymousRead(request)
        && request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>() is not { CanHaveBody: true }
        && IsHttp1(request)
        && (request.Path.StartsWithSegments("/simple") || request.Path.StartsWithSegments("/packages"));

    /// <summary>
    /// Has this request's connection complete on the thread pool until the response is over, moves the rest of the
    /// request there if it runs on the event thread, and has its body's reads resume there
    /// (<see cref="PoolResumingStream"/>). Nothing to do without a socket (tests' in-memory server).
    /// </summary>
    public static async ValueTask LeaveAsync(HttpContext context)
    {
        if (!Available || context.Features.Get<IConnectionSocketFeature>()?.Socket is not { } socket)
        {
            return;
        }

        SetPreferInlineCompletions(socket, false);
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: true })
        {
            // Body data received before the switch is still handed over on the event thread.
            context.Request.Body = new PoolResumingStream(context.Request.Body);
        }

        if (IsHttp1(context.Request))
        {
            // HTTP/2 multiplexes requests on the connection: it stays on the pool for good.
            context.Response.OnCompleted(static state =>
            {
                SetPreferInlineCompletions((Socket)state, true);
                return Task.CompletedTask;
            }, socket);
        }

        await OntoThePoolAsync();
    }

    /// <summary>Continues on a thread-pool thread: at once on one, else after a hop from the event thread.</summary>
    public static async ValueTask OntoThePoolAsync()
    {
        if (!Thread.CurrentThread.IsThreadPoolThread)
        {
            await Task.Yield(); // no synchronization context here: continues on the pool
        }
    }

    private static bool IsHttp1(HttpRequest request) => HttpProtocol.IsHttp11(request.Protocol) || HttpProtocol.IsHttp10(request.Protocol);

    private static async Task LeaveThenAsync(HttpContext context, RequestDelegate next)
    {
        await LeaveAsync(context);
        await next(context);
    }

    private static bool HasSwitch()
    {
        try
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            SetPreferInlineCompletions(probe, false);
            return true;
        }
        catch (MissingMethodException)
        {
            return false;
        }
    }

    // Socket.PreferInlineCompletions is the runtime's internal, per-socket switch (read at each readiness event).
    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "set_PreferInlineCompletions")]
    private static extern void SetPreferInlineCompletions(Socket socket, bool value);
}
