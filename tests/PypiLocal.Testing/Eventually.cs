using System.Diagnostics;

namespace PypiLocal.Testing;

/// <summary>
/// Waiting for a condition with a deadline instead of a fixed sleep: the condition is checked at once, then again after
/// pauses that grow from 10 ms to a quarter second, until it holds or the time is up. A fast machine moves on at once;
/// a busy one gets the whole deadline.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(250);

    /// <summary>True as soon as <paramref name="condition"/> holds, false when it still does not after <paramref name="timeout"/>.</summary>
    public static async Task<bool> TrueAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var pause = FirstPause;
        while (!await condition())
        {
            if (clock.Elapsed >= timeout)
            {
                return false;
            }

            await Task.Delay(pause);
            pause = pause * 2 < LongestPause ? pause * 2 : LongestPause;
        }

        return true;
    }

    /// <inheritdoc cref="TrueAsync(Func{Task{bool}}, TimeSpan)"/>
    public static Task<bool> TrueAsync(Func<bool> condition, TimeSpan timeout) => TrueAsync(() => Task.FromResult(condition()), timeout);
}
