using System.Text;
using PypiLocal.Protocol.Metadata;

namespace PypiLocal.Protocol.Tests.Metadata;

public sealed class CoreMetadataTests
{
    private const string Wheel = """
        Metadata-Version: 2.1
        Name: Foo_Bar
        Version: 1.0.0
        Summary: A  test package: with colons
        Requires-Python: >=3.8
        Classifier: Programming Language :: Python :: 3
        Classifier: License :: OSI Approved :: MIT License
        Requires-Dist: requests (>=2.0)
        Requires-Dist: tomli ; python_version < "3.11"
        Provides-Extra: dev
        Description-Content-Type: text/markdown

        # Foo Bar

        Body text, with a header-like line:
        Name: not a header
        """;

    public sealed class Parse
    {
        [Fact]
        public void Reads_headers_repeated_fields_and_body()
        {
            var metadata = CoreMetadata.Parse(Wheel);
            Assert.Equal("2.1", metadata.MetadataVersion);
            Assert.Equal("Foo_Bar", metadata.Name);
            Assert.Equal("1.0.0", metadata.Version);
            Assert.Equal("A  test package: with colons", metadata.Summary);
            Assert.Equal(">=3.8", metadata.RequiresPython);
            Assert.Equal(["Programming Language :: Python :: 3", "License :: OSI Approved :: MIT License"], metadata.Classifiers);
            Assert.Equal(["requests (>=2.0)", "tomli ; python_version < \"3.11\""], metadata.RequiresDist);
            Assert.Equal(["dev"], metadata.ProvidesExtra);
            Assert.Equal("text/markdown", metadata.Get("description-content-type"));
            Assert.Equal("# Foo Bar\n\nBody text, with a header-like line:\nName: not a header", metadata.Body);
            Assert.Equal(metadata.Body, metadata.Description);
            Assert.Equal(11, metadata.Fields.Count);
            Assert.Equal("Metadata-Version", metadata.Fields[0].Key);
        }

        [Fact]
        public void Header_names_are_case_insensitive_and_missing_ones_are_null_or_empty()
        {
            var metadata = CoreMetadata.Parse("name: x\nREQUIRES-DIST: a\n");
            Assert.Equal("x", metadata.Name);
            Assert.Equal(["a"], metadata.RequiresDist);
            Assert.Null(metadata.Version);
            Assert.Null(metadata.Get("Summary"));
            Assert.Empty(metadata.GetAll("Classifier"));
            Assert.Null(metadata.Body);
            Assert.Null(metadata.Description);
        }

        [Fact]
        public void Tolerates_crlf_and_lone_cr()
        {
            var metadata = CoreMetadata.Parse("Name: foo\r\nVersion: 1.0\rSummary: s\r\n\r\nline one\r\nline two\r\n");
            Assert.Equal("foo", metadata.Name);
            Assert.Equal("1.0", metadata.Version);
            Assert.Equal("s", metadata.Summary);
            Assert.Equal("line one\nline two\n", metadata.Body);
        }

        [Fact]
        public void Unfolds_continuation_lines()
        {
            var metadata = CoreMetadata.Parse("Name: foo\nSummary: first\n  second\n\tthird\nLicense: MIT\n        Copyright me\n");
            Assert.Equal("first\nsecond\nthird", metadata.Summary);
            Assert.Equal("MIT\nCopyright me", metadata.Get("License"));
        }

        [Fact]
        public void Removes_the_distutils_and_setuptools_description_indentation()
        {
            // distutils: 8 spaces; setuptools: 7 spaces and '|'. Deeper indentation is kept.
            var spaces = CoreMetadata.Parse("Name: foo\nDescription: Title\n        =====\n        \n            code\n        end\n");
            Assert.Equal("Title\n=====\n\n    code\nend", spaces.Description);

            var bars = CoreMetadata.Parse("Name: foo\nDescription: Title\n       |=====\n       |\n       |    code\n       |end\n");
            Assert.Equal("Title\n=====\n\n    code\nend", bars.Description);
        }

        [Fact]
        public void Prefers_the_body_over_the_description_header()
        {
            var metadata = CoreMetadata.Parse("Name: foo\nDescription: header\n\nbody\n");
            Assert.Equal("body\n", metadata.Description);
            Assert.Equal("header", metadata.Get("Description"));
        }

        [Fact]
        public void Decodes_invalid_utf8_with_replacement_characters()
        {
            byte[] bytes = [.. "Name: caf"u8, 0xC3, .. "\nSummary: ünï\nAuthor: "u8, 0xFF, 0xFE, .. "\n\nbody "u8, 0x80, .. "\n"u8];
            var metadata = CoreMetadata.Parse(bytes);
            Assert.Equal("caf\uFFFD", metadata.Name);
            Assert.Equal("ünï", metadata.Summary);
            Assert.Equal("\uFFFD\uFFFD", metadata.Get("Author"));
            Assert.Equal("body \uFFFD\n", metadata.Body);
        }

        [Fact]
        public void Strips_a_byte_order_mark()
        {
            byte[] bytes = [0xEF, 0xBB, 0xBF, .. "Name: foo\n"u8];
            Assert.Equal("foo", CoreMetadata.Parse(bytes).Name);
        }

        [Theory]
        [InlineData("")]
        [InlineData("\n")]
        [InlineData("\n\n\n")]
        [InlineData("   leading continuation\nName: x")]
        [InlineData("garbage without colon")]
        [InlineData(": no name")]
        [InlineData("\0\0\0\u0001:\u0002")]
        [InlineData("Name:")]
        [InlineData("Name: x\n\t")]
        [InlineData("\uFFFD\uFFFD: \uD800")]
        public void Never_throws_on_garbage(string text)
        {
            var metadata = CoreMetadata.Parse(text);
            Assert.NotNull(metadata.Fields);
            _ = metadata.Description;
            _ = CoreMetadata.Parse(Encoding.UTF8.GetBytes(text));
        }

        [Fact]
        public void Keeps_what_it_parsed_before_garbage()
        {
            var metadata = CoreMetadata.Parse("Name: foo\nVersion: 1.0\nthis is not a header\nSummary: lost\n");
            Assert.Equal("foo", metadata.Name);
            Assert.Equal("1.0", metadata.Version);
            Assert.Null(metadata.Summary); // As in Python's email parser, a non-header line starts the body.
            Assert.Equal("this is not a header\nSummary: lost\n", metadata.Body);
        }

        [Fact]
        public void Empty_header_values_are_empty_strings()
        {
            var metadata = CoreMetadata.Parse("Name: foo\nSummary:\nKeywords:   \n");
            Assert.Equal("", metadata.Summary);
            Assert.Equal("", metadata.Get("Keywords"));
        }

        [Fact]
        public void Random_bytes_never_throw()
        {
            var random = new Random(658);
            for (var i = 0; i < 500; i++)
            {
                var bytes = new byte[random.Next(0, 200)];
                random.NextBytes(bytes);
                _ = CoreMetadata.Parse(bytes).Description;
            }
        }
    }
}
