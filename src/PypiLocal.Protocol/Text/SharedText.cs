namespace PypiLocal.Protocol.Text;

/// <summary>
/// One instance of text that repeats across many files (wheel tags such as "py3", "none", "any"; Requires-Python), so
/// memory, which keeps every file's facts, holds it once.
/// </summary>
public static class SharedText
{
    private static readonly BoundedPool<string> Pool = new(4096);

    /// <summary>The pooled instance equal to <paramref name="text"/>, else <paramref name="text"/> itself (then pooled while there is room).</summary>
    public static string Share(string text) => Pool.Share(text, text);
}
