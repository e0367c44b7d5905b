using PypiLocal.Core.Attestations;

namespace PypiLocal.Core.Tests.Attestations;

public sealed class MerkleTreeTests
{
    private static readonly byte[] A = MerkleTree.LeafHash("a"u8), B = MerkleTree.LeafHash("b"u8), C = MerkleTree.LeafHash("c"u8);

    [Fact]
    public void Walks_an_audit_path_to_the_root_of_an_unbalanced_tree()
    {
        // Three leaves: root = H(H(a, b), c); c's path is [H(a, b)], a's is [b, c].
        var ab = MerkleTree.NodeHash(A, B);
        var root = MerkleTree.NodeHash(ab, C);

        Assert.Equal(root, MerkleTree.RootFromInclusionProof(C, 2, 3, [ab]));
        Assert.Equal(root, MerkleTree.RootFromInclusionProof(A, 0, 3, [B, C]));
        Assert.Equal(root, MerkleTree.RootFromInclusionProof(B, 1, 3, [A, C]));
    }

    [Theory]
    [InlineData(3, 3, 1, "outside a tree of 3 entries")]
    [InlineData(0, 3, 1, "fewer hashes than the tree has levels")]
    [InlineData(2, 3, 2, "more hashes than the tree has levels")]
    [InlineData(0, 1, 1, "more hashes than the tree has levels")]
    public void Refuses_paths_of_the_wrong_length_for_the_position(long index, long treeSize, int hashes, string reason)
    {
        var path = Enumerable.Repeat(A, hashes).ToList();

        Assert.Contains(reason, Assert.Throws<AttestationException>(() => MerkleTree.RootFromInclusionProof(B, index, treeSize, path)).Message, StringComparison.Ordinal);
    }
}
