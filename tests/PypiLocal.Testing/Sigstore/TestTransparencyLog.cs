using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace PypiLocal.Testing.Sigstore;

/// <summary>
/// A Rekor-like transparency log in memory: an ECDSA P-256 key, RFC 6962 Merkle trees built by the RFC's own
/// recursive definitions (so they check the verifier's iterative walk), signed checkpoints in the signed-note
/// format and signed entry timestamps. It writes entries as Rekor v1's JSON.
/// </summary>
public sealed class TestTransparencyLog
{
    private const string Name = "test-rekor.pypilocal";

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public byte[] KeyId => SHA256.HashData(_key.ExportSubjectPublicKeyInfo());

    public string PublicKeyPem => _key.ExportSubjectPublicKeyInfoPem();

    /// <summary>The log entry for <paramref name="body"/> (a canonicalized "dsse" body), placed in a tree with other entries.</summary>
    public JsonObject Entry(byte[] body, DateTimeOffset integratedAt, AttestationFaults faults)
    {
        var (index, treeSize) = faults.TreePosition;
        var leaves = Enumerable.Range(0, treeSize).Select(i => i == index ? body : Encoding.UTF8.GetBytes($"another entry {i}")).ToList();
        var root = TreeHash(leaves);
        var path = AuditPath(index, leaves);
        if (faults.TamperInclusionProof)
        {
            path[^1][0] ^= 1;
        }

        const long globalIndex = 1_000_000;
        var bodyText = Convert.ToBase64String(body);
        var integratedTime = integratedAt.ToUnixTimeSeconds();
        var set = Sign(Encoding.UTF8.GetBytes(
            $"{{\"body\":\"{bodyText}\",\"integratedTime\":{integratedTime},\"logID\":\"{Convert.ToHexStringLower(KeyId)}\",\"logIndex\":{globalIndex}}}"));
        if (faults.TamperIntegratedTime)
        {
            integratedTime += 3600;
        }

        return new JsonObject
        {
            ["logIndex"] = globalIndex.ToString(CultureInfo.InvariantCulture),
            ["logId"] = new JsonObject { ["keyId"] = Convert.ToBase64String(KeyId) },
            ["kindVersion"] = new JsonObject { ["kind"] = "dsse", ["version"] = "0.0.1" },
            ["integratedTime"] = integratedTime.ToString(CultureInfo.InvariantCulture),
            ["inclusionPromise"] = new JsonObject { ["signedEntryTimestamp"] = Convert.ToBase64String(set) },
            ["inclusionProof"] = new JsonObject
            {
                ["logIndex"] = index.ToString(CultureInfo.InvariantCulture),
                ["rootHash"] = Convert.ToBase64String(root),
                ["treeSize"] = treeSize.ToString(CultureInfo.InvariantCulture),
                ["hashes"] = new JsonArray(path.Select(h => (JsonNode)Convert.ToBase64String(h)).ToArray()),
                ["checkpoint"] = new JsonObject { ["envelope"] = Checkpoint(treeSize, root, faults.TamperCheckpointSignature) },
            },
            ["canonicalizedBody"] = bodyText,
        };
    }

    private string Checkpoint(int treeSize, byte[] root, bool forged)
    {
        var note = $"{Name} - 42\n{treeSize}\n{Convert.ToBase64String(root)}\n";
        var signature = forged
            ? ECDsa.Create(ECCurve.NamedCurves.nistP256).SignData(Encoding.UTF8.GetBytes(note), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
            : Sign(Encoding.UTF8.GetBytes(note));
        return $"{note}\n\u2014 {Name} {Convert.ToBase64String([.. KeyId[..4], .. signature])}\n";
    }

    private byte[] Sign(byte[] data) => _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    // RFC 6962 §2.1: MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])), k the largest power of two below n.
    private static byte[] TreeHash(List<byte[]> leaves)
    {
        if (leaves.Count == 1)
        {
            return SHA256.HashData([0, .. leaves[0]]);
        }

        var k = Split(leaves.Count);
        return SHA256.HashData([1, .. TreeHash(leaves.Take(k).ToList()), .. TreeHash(leaves.Skip(k).ToList())]);
    }

    // RFC 6962 §2.1.1: PATH(m, D[n]) is the path in the half holding m, then the other half's hash.
    private static List<byte[]> AuditPath(int m, List<byte[]> leaves)
    {
        if (leaves.Count == 1)
        {
            return [];
        }

        var k = Split(leaves.Count);
        return m < k
            ? [.. AuditPath(m, leaves.Take(k).ToList()), TreeHash(leaves.Skip(k).ToList())]
            : [.. AuditPath(m - k, leaves.Skip(k).ToList()), TreeHash(leaves.Take(k).ToList())];
    }

    private static int Split(int n)
    {
        var k = 1;
        while (k * 2 < n)
        {
            k *= 2;
        }

        return k;
    }
}
