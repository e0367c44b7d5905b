namespace PypiLocal.Infrastructure.Caching;

/// <summary>The Lua scripts of <see cref="RedisPageCache"/>: each is one round trip and atomic on the server.</summary>
internal static class RedisPageScripts
{
    // KEYS: epoch, scope generation. ARGV[1]: epoch seed. Sets e (the epoch) and g (the scope's generation).
    // A missing epoch means an empty (restarted or flushed) Redis: start it from the clock, so it never
    // repeats an epoch a render still in flight from before the restart may carry.
    private const string ReadGeneration = """
        local e = redis.call('GET', KEYS[1])
        if not e then
          e = ARGV[1]
          redis.call('SET', KEYS[1], e)
        end
        local g = redis.call('GET', KEYS[2]) or '0'

        """;

    // KEYS: epoch, scope generation. ARGV: epoch seed.
    public const string Generation = ReadGeneration + """
        return {tonumber(e), tonumber(g)}
        """;

    // KEYS: epoch, scope generation. ARGV: epoch seed, page key prefix.
    public const string Get = ReadGeneration + """
        local p = redis.call('HMGET', ARGV[2] .. e .. ':' .. g, 'b', 't', 'e', 'x', 's')
        return {tonumber(e), tonumber(g), p[1], p[2], p[3], p[4], p[5]}
        """;

    // KEYS: epoch, scope generation. ARGV: page key prefix, epoch, generation, body, content type, ETag, TTL ms,
    // the page's own expiry (Unix ms, or empty) and policy stamp (or empty).
    // Stores only if the generation has not moved on since the lookup, so nothing unreachable is written.
    public const string Set = """
        local e = redis.call('GET', KEYS[1])
        local g = redis.call('GET', KEYS[2]) or '0'
        if e ~= ARGV[2] or g ~= ARGV[3] then
          return 0
        end
        local k = ARGV[1] .. e .. ':' .. g
        redis.call('HSET', k, 'b', ARGV[4], 't', ARGV[5], 'e', ARGV[6])
        if ARGV[8] ~= '' then redis.call('HSET', k, 'x', ARGV[8]) end
        if ARGV[9] ~= '' then redis.call('HSET', k, 's', ARGV[9]) end
        redis.call('PEXPIRE', k, ARGV[7])
        return 1
        """;

    // KEYS: project generation, root generation. ARGV: channel, message. Returns how many nodes got the message.
    public const string InvalidateProject = """
        redis.call('INCR', KEYS[1])
        redis.call('INCR', KEYS[2])
        return redis.call('PUBLISH', ARGV[1], ARGV[2])
        """;

    // KEYS: epoch. ARGV: epoch seed, channel, message. The epoch only moves forward, and never below the clock.
    public const string InvalidateAll = """
        local e = tonumber(redis.call('GET', KEYS[1]) or '0')
        local t = tonumber(ARGV[1])
        if t > e then e = t else e = e + 1 end
        redis.call('SET', KEYS[1], string.format('%d', e))
        return redis.call('PUBLISH', ARGV[2], ARGV[3])
        """;
}
