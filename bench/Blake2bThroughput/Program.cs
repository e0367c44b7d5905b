using System.Diagnostics;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;
using Blake2bThroughput;

// BLAKE2b-256 throughput of the hand-written implementation PypiLocal had against maintained libraries, fed as the
// upload stager feeds it (64 KiB appends). Each hash is timed by the CPU time of its thread (so time spent waiting
// for a core on a busy machine does not count) and by the wall clock; rounds are interleaved and the best of each
// kept. Usage: dotnet run -c Release [-- MiB rounds]
var mebibytes = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 64;
var rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 7;
const int Chunk = 64 * 1024;
var data = RandomNumberGenerator.GetBytes(mebibytes * 1024 * 1024);

var candidates = new (string Name, Func<byte[], byte[]> Hash)[]
{
    ("hand-written (PypiLocal until now)", Ours),
    ("NSec.Cryptography 26.4.0 (libsodium)", NSecHash),
    ("BouncyCastle.Cryptography 2.7.0", BouncyCastle),
    ("Konscious.Security.Cryptography.Blake2 1.1.1", Konscious),
};

// Same digest from all, on the RFC 7693 input "abc" (as 256-bit output, checked against Python's hashlib) and on the data.
var expectedAbc = Convert.FromHexString("bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
foreach (var (name, hash) in candidates)
{
    if (!hash("abc"u8.ToArray()).SequenceEqual(expectedAbc) || !hash(data).SequenceEqual(Ours(data)))
    {
        throw new InvalidOperationException($"{name} gives another digest.");
    }
}

var bestCpu = candidates.ToDictionary(c => c.Name, _ => TimeSpan.MaxValue);
var bestWall = candidates.ToDictionary(c => c.Name, _ => TimeSpan.MaxValue);
for (var round = 0; round < rounds; round++)
{
    foreach (var (name, hash) in candidates)
    {
        var cpu = ThreadCpuTime();
        var clock = Stopwatch.StartNew();
        hash(data);
        bestWall[name] = TimeSpan.FromTicks(Math.Min(bestWall[name].Ticks, clock.Elapsed.Ticks));
        bestCpu[name] = TimeSpan.FromTicks(Math.Min(bestCpu[name].Ticks, (ThreadCpuTime() - cpu).Ticks));
    }
}

var baseline = candidates[0].Name;
Console.WriteLine($"| implementation | thread CPU, best of {rounds} over {mebibytes} MiB | MiB/s of CPU | vs hand-written | wall, best of {rounds} |");
Console.WriteLine("|---|---|---|---|---|");
foreach (var (name, _) in candidates)
{
    Console.WriteLine($"| {name} | {bestCpu[name].TotalMilliseconds:F0} ms | {mebibytes / bestCpu[name].TotalSeconds:F0} | {bestCpu[baseline] / bestCpu[name]:F2}x | {bestWall[name].TotalMilliseconds:F0} ms |");
}

// CPU time of the calling thread (Linux CLOCK_THREAD_CPUTIME_ID).
static TimeSpan ThreadCpuTime()
{
    if (ClockGetTime(3, out var now) != 0)
    {
        throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed.");
    }

    return TimeSpan.FromTicks((now.Seconds * TimeSpan.TicksPerSecond) + (now.Nanoseconds / 100));
}

[System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
static extern int ClockGetTime(int clock, out TimeSpec time);

static byte[] Ours(byte[] data)
{
    var hash = new HandWrittenBlake2b256();
    for (var offset = 0; offset < data.Length; offset += Chunk)
    {
        hash.Append(data.AsSpan(offset, Math.Min(Chunk, data.Length - offset)));
    }

    return hash.GetHashAndReset();
}

static byte[] NSecHash(byte[] data)
{
    NSec.Cryptography.IncrementalHash.Initialize(NSec.Cryptography.HashAlgorithm.Blake2b_256, out var state);
    for (var offset = 0; offset < data.Length; offset += Chunk)
    {
        NSec.Cryptography.IncrementalHash.Update(ref state, data.AsSpan(offset, Math.Min(Chunk, data.Length - offset)));
    }

    return NSec.Cryptography.IncrementalHash.Finalize(ref state);
}

static byte[] BouncyCastle(byte[] data)
{
    var digest = new Blake2bDigest(256);
    for (var offset = 0; offset < data.Length; offset += Chunk)
    {
        digest.BlockUpdate(data.AsSpan(offset, Math.Min(Chunk, data.Length - offset)));
    }

    var output = new byte[32];
    digest.DoFinal(output, 0);
    return output;
}

static byte[] Konscious(byte[] data)
{
    using var hash = new Konscious.Security.Cryptography.HMACBlake2B(256);
    hash.Initialize();
    for (var offset = 0; offset < data.Length; offset += Chunk)
    {
        var count = Math.Min(Chunk, data.Length - offset);
        hash.TransformBlock(data, offset, count, null, 0);
    }

    hash.TransformFinalBlock([], 0, 0);
    return hash.Hash!;
}

internal struct TimeSpec
{
    public long Seconds;
    public long Nanoseconds;
}
