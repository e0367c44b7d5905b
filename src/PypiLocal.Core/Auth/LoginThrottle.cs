using System.Collections.Concurrent;
using System.Net;

namespace PypiLocal.Core.Auth;

/// <summary>
/// Counts failed logins per user name and per client address in a fixed window; past the limit, that user or
/// address is refused (429 with Retry-After) until the window ends, right password or not, so guessing costs time.
/// Bounded: past <see cref="MaxTracked"/> keys, windows that have ended are forgotten.
/// </summary>
public sealed class LoginThrottle(AuthOptions options, TimeProvider time)
{
    private const int MaxTracked = 100_000;
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    /// <summary>How long until <paramref name="user"/> or <paramref name="address"/> may try again, or null when they may now.</summary>
    public TimeSpan? RetryAfter(string user, IPAddress? address)
    {
        if (options.FailedLoginLimit <= 0)
        {
            return null;
        }

        var now = time.GetUtcNow();
        TimeSpan? wait = null;
        foreach (var key in Keys(user, address))
        {
            if (_windows.TryGetValue(key, out var window) && window.Ends > now && window.Failures >= options.FailedLoginLimit)
            {
                wait = Max(wait, window.Ends - now);
            }
        }

        return wait;
    }

    /// <summary>Counts a failed login; returns what it made start being refused (<c>user:NAME</c>, <c>address:IP</c>), once per window.</summary>
    public IReadOnlyList<string> RecordFailure(string user, IPAddress? address)
    {
        if (options.FailedLoginLimit <= 0)
        {
            return [];
        }

        var now = time.GetUtcNow();
        if (_windows.Count > MaxTracked)
        {
            foreach (var (key, window) in _windows)
            {
                if (window.Ends <= now)
                {
                    _windows.TryRemove(key, out _);
                }
            }
        }

        var started = new List<string>();
        foreach (var key in Keys(user, address))
        {
            var counted = _windows.AddOrUpdate(
                key,
                _ => new Window(1, now + options.FailedLoginWindow),
                (_, window) => window.Ends <= now ? new Window(1, now + options.FailedLoginWindow) : window with { Failures = window.Failures + 1 });

            // Each count is stored by exactly one caller, so exactly one sees the limit reached.
            if (counted.Failures == options.FailedLoginLimit)
            {
                started.Add(key);
            }
        }

        return started;
    }

    // Tokens all share the user name __token__: counting it would let anyone lock every token out.
    private static IEnumerable<string> Keys(string user, IPAddress? address) =>
        (user == IndexAuthenticator.TokenUser ? [] : new[] { "user:" + user }).Concat(address is null ? [] : ["address:" + address]);

    private static TimeSpan? Max(TimeSpan? a, TimeSpan b) => a is { } x && x > b ? x : b;

    private readonly record struct Window(int Failures, DateTimeOffset Ends);
}
