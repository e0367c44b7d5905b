using PypiLocal.Protocol.Simple;

namespace PypiLocal.Protocol.Tests.Simple;

/// <summary>The pages behind the golden files: every optional attribute, escaping, non-ASCII and a '+' in a filename.</summary>
internal static class SampleIndex
{
    public const string MetadataSha256 = "4f4a1b0c2e7d9a8b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b";

    public static readonly SimpleProjectList ProjectList = new(
    [
        new SimpleProjectEntry("Foo_Bar", "foo-bar"),
        new SimpleProjectEntry("zope.interface", "zope-interface"),
        new SimpleProjectEntry("pkg", "pkg"),
    ]);

    public static readonly SimpleProjectPage ProjectPage = new(
        "foo-bar",
        [
            new SimpleFile(
                "foo_bar-1.0-py3-none-any.whl",
                "/files/foo-bar/1.0/foo_bar-1.0-py3-none-any.whl",
                "0f343b0931126a20f133d67c2b018a3b5e0a8a8e5b1a0e7c5d6b1f2a3c4d5e6f",
                ">=3.8",
                MetadataSha256,
                Yanked: false,
                YankedReason: null,
                Size: 1234,
                UploadTime: new DateTimeOffset(2024, 5, 1, 12, 34, 56, TimeSpan.Zero).AddTicks(1234567)),
            new SimpleFile(
                "foo_bar-1.0.tar.gz",
                "/files/foo-bar/1.0/foo_bar-1.0.tar.gz",
                "a3b5e0a8a8e5b1a0e7c5d6b1f2a3c4d5e6f0f343b0931126a20f133d67c2b018",
                "<4,>=3.8",
                null,
                Yanked: true,
                YankedReason: "broken <build> & \"bad\" 'quote' — ünïcode",
                Size: 987,
                UploadTime: null),
            new SimpleFile(
                "foo_bar-1.1+local-py3-none-any.whl",
                "https://files.example.test/foo-bar/foo_bar-1.1+local-py3-none-any.whl",
                "1111111111111111111111111111111111111111111111111111111111111111",
                null,
                null,
                Yanked: true,
                YankedReason: null,
                Size: 0,
                UploadTime: new DateTimeOffset(2025, 12, 31, 23, 59, 59, TimeSpan.FromHours(2))),
        ],
        ["1.0", "1.1+local", "2.0"]);

    public static readonly SimpleProjectPage EmptyPage = new("empty", [], []);
}
