using System.Buffers.Binary;
using System.Numerics;

namespace Blake2bThroughput;

/// <summary>
/// Incremental, unkeyed BLAKE2b with a 32-byte digest (RFC 7693): the implementation PypiLocal carried in
/// src/PypiLocal.Core/Hashing until libsodium's (NSec) measured faster here; kept as the baseline.
/// </summary>
public sealed class HandWrittenBlake2b256
{
    private const int BlockBytes = 128;
    private const int OutBytes = 32;

    private static readonly ulong[] IV =
    [
        0x6a09e667f3bcc908UL, 0xbb67ae8584caa73bUL, 0x3c6ef372fe94f82bUL, 0xa54ff53a5f1d36f1UL,
        0x510e527fade682d1UL, 0x9b05688c2b3e6c1fUL, 0x1f83d9abfb41bd6bUL, 0x5be0cd19137e2179UL,
    ];

    // The message schedule, one row of 16 per round (rounds 10 and 11 repeat rows 0 and 1).
    private static ReadOnlySpan<byte> Sigma =>
    [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
        11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4,
        7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8,
        9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13,
        2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9,
        12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11,
        13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10,
        6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5,
        10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0,
    ];

    private readonly ulong[] _h = new ulong[8];
    private readonly byte[] _buffer = new byte[BlockBytes];
    private int _buffered;
    private ulong _t0;
    private ulong _t1;
    private bool _finished;

    public HandWrittenBlake2b256()
    {
        IV.CopyTo(_h, 0);
        _h[0] ^= 0x01010000UL ^ OutBytes; // depth 1, fanout 1, no key, 32-byte digest
    }

    /// <summary>The digest of <paramref name="data"/> in one call.</summary>
    public static byte[] HashData(ReadOnlySpan<byte> data)
    {
        var hash = new HandWrittenBlake2b256();
        hash.Append(data);
        return hash.GetHashAndReset();
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_finished)
        {
            throw new InvalidOperationException("The hash was already finalized.");
        }

        while (data.Length > 0)
        {
            // The last block must be compressed with the final flag, so a full buffer waits for more data.
            if (_buffered == BlockBytes)
            {
                Increment(BlockBytes);
                Compress(_buffer, last: false);
                _buffered = 0;
            }

            // Whole blocks go straight from the input, keeping the last one back for the final flag.
            if (_buffered == 0 && data.Length > BlockBytes)
            {
                Increment(BlockBytes);
                Compress(data[..BlockBytes], last: false);
                data = data[BlockBytes..];
                continue;
            }

            var take = Math.Min(BlockBytes - _buffered, data.Length);
            data[..take].CopyTo(_buffer.AsSpan(_buffered));
            _buffered += take;
            data = data[take..];
        }
    }

    /// <summary>Finishes the hash and returns the 32-byte digest.</summary>
    public byte[] GetHashAndReset()
    {
        if (_finished)
        {
            throw new InvalidOperationException("The hash was already finalized.");
        }

        _finished = true;
        Increment((ulong)_buffered);
        _buffer.AsSpan(_buffered).Clear();
        Compress(_buffer, last: true);
        var output = new byte[OutBytes];
        for (var i = 0; i < OutBytes / 8; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(output.AsSpan(i * 8), _h[i]);
        }

        return output;
    }

    private void Increment(ulong bytes)
    {
        _t0 += bytes;
        if (_t0 < bytes)
        {
            _t1++;
        }
    }

    // The working vector lives in locals so the JIT keeps it in registers: about five times faster than arrays.
    private void Compress(ReadOnlySpan<byte> block, bool last)
    {
        Span<ulong> m = stackalloc ulong[16];
        for (var i = 0; i < 16; i++)
        {
            m[i] = BinaryPrimitives.ReadUInt64LittleEndian(block[(i * 8)..]);
        }

        ulong v0 = _h[0], v1 = _h[1], v2 = _h[2], v3 = _h[3], v4 = _h[4], v5 = _h[5], v6 = _h[6], v7 = _h[7];
        ulong v8 = IV[0], v9 = IV[1], v10 = IV[2], v11 = IV[3];
        var v12 = IV[4] ^ _t0;
        var v13 = IV[5] ^ _t1;
        var v14 = last ? ~IV[6] : IV[6];
        var v15 = IV[7];

        var sigma = Sigma;
        for (var round = 0; round < 12; round++)
        {
            var s = sigma.Slice(round % 10 * 16, 16);
            G(ref v0, ref v4, ref v8, ref v12, m[s[0]], m[s[1]]);
            G(ref v1, ref v5, ref v9, ref v13, m[s[2]], m[s[3]]);
            G(ref v2, ref v6, ref v10, ref v14, m[s[4]], m[s[5]]);
            G(ref v3, ref v7, ref v11, ref v15, m[s[6]], m[s[7]]);
            G(ref v0, ref v5, ref v10, ref v15, m[s[8]], m[s[9]]);
            G(ref v1, ref v6, ref v11, ref v12, m[s[10]], m[s[11]]);
            G(ref v2, ref v7, ref v8, ref v13, m[s[12]], m[s[13]]);
            G(ref v3, ref v4, ref v9, ref v14, m[s[14]], m[s[15]]);
        }

        _h[0] ^= v0 ^ v8;
        _h[1] ^= v1 ^ v9;
        _h[2] ^= v2 ^ v10;
        _h[3] ^= v3 ^ v11;
        _h[4] ^= v4 ^ v12;
        _h[5] ^= v5 ^ v13;
        _h[6] ^= v6 ^ v14;
        _h[7] ^= v7 ^ v15;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void G(ref ulong a, ref ulong b, ref ulong c, ref ulong d, ulong x, ulong y)
    {
        a = a + b + x;
        d = BitOperations.RotateRight(d ^ a, 32);
        c += d;
        b = BitOperations.RotateRight(b ^ c, 24);
        a = a + b + y;
        d = BitOperations.RotateRight(d ^ a, 16);
        c += d;
        b = BitOperations.RotateRight(b ^ c, 63);
    }
}
