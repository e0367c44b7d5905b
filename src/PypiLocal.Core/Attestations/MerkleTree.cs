using System.Security.Cryptography;

namespace PypiLocal.Core.Attestations;

/// <summary>RFC 6962 Merkle tree hashing, as Rekor's log uses it: leaves and nodes hashed with distinct prefixes.</summary>
public static class MerkleTree
{
    public static byte[] LeafHash(ReadOnlySpan<byte> leaf) => SHA256.HashData([0, .. leaf]);

    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right) => SHA256.HashData([1, .. left, .. right]);

    /// <summary>
    /// The root reached from the leaf at <paramref name="index"/> of a tree of <paramref name="treeSize"/> leaves
    /// through its audit path (RFC 6962 §2.1.1, verified as RFC 9162 §2.1.3.2 does), or an error when the path has
    /// the wrong length for that position.
    /// </summary>
    public static byte[] RootFromInclusionProof(byte[] leafHash, long index, long treeSize, IReadOnlyList<byte[]> auditPath)
    {
        if (index < 0 || index >= treeSize)
        {
            throw new AttestationException($"inclusion proof index {index} is outside a tree of {treeSize} entries");
        }

        // Walk up: at each level the sibling is on the right while we are a left child that has a sibling, and on
        // the left while we are a right child; a last node without a sibling moves up unchanged.
        var hash = leafHash;
        long node = index, last = treeSize - 1;
        foreach (var sibling in auditPath)
        {
            if (last == 0)
            {
                throw new AttestationException("inclusion proof has more hashes than the tree has levels");
            }

            if ((node & 1) == 1 || node == last)
            {
                hash = NodeHash(sibling, hash);
                // A node that is the last of its level and a left child has no sibling; skip the levels it rises alone.
                while ((node & 1) == 0 && node != 0)
                {
                    node >>= 1;
                    last >>= 1;
                }
            }
            else
            {
                hash = NodeHash(hash, sibling);
            }

            node >>= 1;
            last >>= 1;
        }

        if (last != 0)
        {
            throw new AttestationException("inclusion proof has fewer hashes than the tree has levels");
        }

        return hash;
    }
}
