using System.Globalization;
using System.Text;

namespace PypiLocal.Core.Attestations;

/// <summary>
/// A transparency log checkpoint in the "signed note" format (transparency-dev/formats): the note
/// <c>origin\nsize\nbase64(root)\n[extra lines]\n</c>, a blank line, then one line per signature,
/// <c>— name base64(key hint[4] || signature)\n</c>. The signature covers the note text, final newline included.
/// </summary>
public sealed record SignedCheckpoint(string Origin, long TreeSize, byte[] RootHash, byte[] SignedText, IReadOnlyList<CheckpointSignature> Signatures)
{
    private const string SignaturePrefix = "\u2014 ";

    public static SignedCheckpoint Parse(string text)
    {
        var split = text.IndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0 || text.IndexOf("\n\n", split + 1, StringComparison.Ordinal) >= 0)
        {
            throw new AttestationException("checkpoint must have exactly one blank line between the note and its signatures");
        }

        var note = text[..(split + 1)];
        var lines = note.TrimEnd('\n').Split('\n');
        if (lines.Length < 3 || lines[0].Length == 0)
        {
            throw new AttestationException("checkpoint note must name its origin, tree size and root hash");
        }

        if (!long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            throw new AttestationException($"checkpoint tree size '{lines[1]}' is not a number");
        }

        var root = Base64.Decode(lines[2], "checkpoint root hash");
        var block = text[(split + 2)..];
        if (!block.EndsWith('\n'))
        {
            throw new AttestationException("checkpoint signatures must end with a newline");
        }

        var signatures = new List<CheckpointSignature>();
        foreach (var line in block[..^1].Split('\n'))
        {
            var parts = line.StartsWith(SignaturePrefix, StringComparison.Ordinal) ? line[SignaturePrefix.Length..].Split(' ') : [];
            if (parts.Length != 2)
            {
                throw new AttestationException("checkpoint signature line is malformed");
            }

            var bytes = Base64.Decode(parts[1], "checkpoint signature");
            if (bytes.Length < 5)
            {
                throw new AttestationException("checkpoint signature is too short");
            }

            signatures.Add(new CheckpointSignature(parts[0], bytes[..4], bytes[4..]));
        }

        return new SignedCheckpoint(lines[0], size, root, Encoding.UTF8.GetBytes(note), signatures);
    }

    /// <summary>Checks that <paramref name="key"/> signed this note: every signature carrying its key hint must verify, and there must be one.</summary>
    public void VerifySignedBy(TransparencyLogKey key)
    {
        var mine = Signatures.Where(s => s.KeyHint.AsSpan().SequenceEqual(key.KeyId.AsSpan(0, 4))).ToList();
        if (mine.Count == 0)
        {
            throw new AttestationException("checkpoint is not signed by the transparency log's key");
        }

        if (mine.Any(s => !key.Verify(SignedText, s.Signature)))
        {
            throw new AttestationException("checkpoint signature does not verify with the transparency log's key");
        }
    }
}
