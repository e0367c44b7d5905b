namespace PypiLocal.Core.Hashing;

/// <summary>The digest written into index links as <c>#name=hex</c> (pypiserver's <c>--hash-algo</c>).</summary>
public enum LinkHash
{
    /// <summary>No fragment (pypiserver's <c>--hash-algo off</c>).</summary>
    Off,
    Md5,
    Sha1,
    Sha256,
    Sha512,
}
