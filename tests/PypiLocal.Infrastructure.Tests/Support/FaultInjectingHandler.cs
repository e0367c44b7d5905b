using System.Net;
using System.Text;

namespace PypiLocal.Infrastructure.Tests.Support;

/// <summary>
/// Sits between an S3 store and the real moto_server and spoils chosen requests: answers 503 SlowDown without
/// passing them on (refused by the store), passes them on and then drops the answer (the write happened, the
/// client cannot know), or fails them as a connection reset at once does. Records every request it sees.
/// </summary>
internal sealed class FaultInjectingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly List<string> _seen = [];
    private readonly Queue<(Func<HttpRequestMessage, bool> Matches, Fault Fault)> _faults = new();

    public enum Fault
    {
        /// <summary>503 SlowDown, the request not passed on.</summary>
        SlowDown,

        /// <summary>Passed on, then the connection "breaks" before the answer arrives.</summary>
        LoseAnswer,

        /// <summary>Not passed on: the connection was reset as soon as it was made, which escapes the handler as a bare SocketException.</summary>
        ResetOnConnect,
    }

    public IReadOnlyList<string> Seen
    {
        get
        {
            lock (_seen)
            {
                return [.. _seen];
            }
        }
    }

    /// <summary>Spoils the next request that matches, once; several calls queue several faults.</summary>
    public void Next(Func<HttpRequestMessage, bool> matches, Fault fault)
    {
        lock (_faults)
        {
            _faults.Enqueue((matches, fault));
        }
    }

    public static bool IsPut(HttpRequestMessage request) => request.Method == HttpMethod.Put;

    public static bool IsGet(HttpRequestMessage request) => request.Method == HttpMethod.Get;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (_seen)
        {
            _seen.Add($"{request.Method} {request.RequestUri!.PathAndQuery}");
        }

        Fault? fault = null;
        lock (_faults)
        {
            if (_faults.TryPeek(out var next) && next.Matches(request))
            {
                fault = _faults.Dequeue().Fault;
            }
        }

        if (fault == Fault.SlowDown)
        {
            return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
            {
                RequestMessage = request,
                Content = new StringContent("<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>", Encoding.UTF8, "application/xml"),
            };
        }

        if (fault == Fault.ResetOnConnect)
        {
            throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.NotConnected);
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (fault == Fault.LoseAnswer)
        {
            response.Dispose();
            throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely (injected).");
        }

        return response;
    }
}
