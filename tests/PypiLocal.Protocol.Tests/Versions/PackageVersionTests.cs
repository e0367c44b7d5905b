using PypiLocal.Protocol.Versions;

namespace PypiLocal.Protocol.Tests.Versions;

public sealed class PackageVersionTests
{
    public sealed class TryParse
    {
        // Input, then packaging's str(Version(input)).
        [Theory]
        [InlineData("1", "1")]
        [InlineData("1.0", "1.0")]
        [InlineData("1.0.0", "1.0.0")]
        [InlineData("v1.0", "1.0")]
        [InlineData("V1.0", "1.0")]
        [InlineData("  1.0\n", "1.0")]
        [InlineData("\t1.0 ", "1.0")]
        [InlineData("\u00a01.0\u2003", "1.0")]
        [InlineData("\u001c 1.0\u001f\n\u001e", "1.0")]
        [InlineData("01.002.0003", "1.2.3")]
        [InlineData("1!2.0", "1!2.0")]
        [InlineData("0!1.0", "1.0")]
        [InlineData("1.0a1", "1.0a1")]
        [InlineData("1.0A1", "1.0a1")]
        [InlineData("1.0alpha1", "1.0a1")]
        [InlineData("1.0.alpha.1", "1.0a1")]
        [InlineData("1.0-a-1", "1.0a1")]
        [InlineData("1.0_a_1", "1.0a1")]
        [InlineData("1.0a", "1.0a0")]
        [InlineData("1.0beta2", "1.0b2")]
        [InlineData("1.0b", "1.0b0")]
        [InlineData("1.0c1", "1.0rc1")]
        [InlineData("1.0pre1", "1.0rc1")]
        [InlineData("1.0preview1", "1.0rc1")]
        [InlineData("1.0RC1", "1.0rc1")]
        [InlineData("1.0rc", "1.0rc0")]
        [InlineData("1.0.post1", "1.0.post1")]
        [InlineData("1.0post1", "1.0.post1")]
        [InlineData("1.0-post1", "1.0.post1")]
        [InlineData("1.0_post_1", "1.0.post1")]
        [InlineData("1.0.post", "1.0.post0")]
        [InlineData("1.0-1", "1.0.post1")]
        [InlineData("1.0rev1", "1.0.post1")]
        [InlineData("1.0r1", "1.0.post1")]
        [InlineData("1.0-r", "1.0.post0")]
        [InlineData("1.0.dev1", "1.0.dev1")]
        [InlineData("1.0dev1", "1.0.dev1")]
        [InlineData("1.0-dev", "1.0.dev0")]
        [InlineData("1.0_DEV_2", "1.0.dev2")]
        [InlineData("1.0a1.post2.dev3", "1.0a1.post2.dev3")]
        [InlineData("1.0-1.dev2", "1.0.post1.dev2")]
        [InlineData("1!2.0rc1.post3.dev4+ubuntu.1", "1!2.0rc1.post3.dev4+ubuntu.1")]
        [InlineData("1.0+abc", "1.0+abc")]
        [InlineData("1.0+ABC-def_1", "1.0+abc.def.1")]
        [InlineData("1.0+ubuntu.001", "1.0+ubuntu.1")]
        [InlineData("1.0+0", "1.0+0")]
        [InlineData("2023.10.01", "2023.10.1")]
        [InlineData(" 1.2.3\n", "1.2.3")]
        [InlineData("1.9223372036854775807", "1.9223372036854775807")] // 19 digits: past the plain-release shortcut, still a long.
        public void Parses_leniently_into_normal_form(string input, string normal)
        {
            Assert.True(PackageVersion.TryParse(input, out var version));
            Assert.Equal(normal, version.ToString());
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("abc")]
        [InlineData("1.0.")]
        [InlineData(".1")]
        [InlineData("1..0")]
        [InlineData("1.0+")]
        [InlineData("1.0+a..b")]
        [InlineData("1.0+-a")]
        [InlineData("1.0a1a2")]
        [InlineData("1.0 1")]
        [InlineData("1.0-")]
        [InlineData("1.0--1")]
        [InlineData("1.0.post1.post2")]
        [InlineData("1.0.dev1.a1")]
        [InlineData("vv1.0")]
        [InlineData("1.0foo")]
        [InlineData("1.0+ü")]
        [InlineData("١.٠")] // Arabic-Indic digits: the grammar is ASCII.
        [InlineData("1!")]
        [InlineData("99999999999999999999999")] // Beyond a long: refused, not thrown.
        public void Rejects_invalid_versions(string? input) => Assert.False(PackageVersion.TryParse(input, out _));

        [Fact]
        public void Exposes_the_parts()
        {
            var version = PackageVersion.Parse("2!1.2.3b4.post5.dev6+Local-7");
            Assert.Equal(2, version.Epoch);
            Assert.Equal([1L, 2, 3], version.Release);
            Assert.Equal(("b", 4L), version.Pre);
            Assert.Equal(5L, version.Post);
            Assert.Equal(6L, version.Dev);
            Assert.Equal("local.7", version.Local);
            Assert.True(version.IsPrerelease);
            Assert.True(version.IsLocal);
        }

        [Theory]
        [InlineData("1.0", false)]
        [InlineData("1.0.post1", false)]
        [InlineData("1.0+local", false)]
        [InlineData("1.0a1", true)]
        [InlineData("1.0rc1.post1", true)]
        [InlineData("1.0.dev1", true)]
        [InlineData("1.0.post1.dev1", true)]
        public void Knows_prereleases(string input, bool expected) => Assert.Equal(expected, PackageVersion.Parse(input).IsPrerelease);

        [Fact]
        public void Parse_throws_a_format_exception_naming_the_input() =>
            Assert.Contains("'nope'", Assert.Throws<FormatException>(() => PackageVersion.Parse("nope")).Message);
    }

    public sealed class ToCanonicalString
    {
        [Theory]
        [InlineData("1.0.0", "1")]
        [InlineData("1.0", "1")]
        [InlineData("1", "1")]
        [InlineData("0.0", "0")]
        [InlineData("1.2.0", "1.2")]
        [InlineData("1.0.1", "1.0.1")]
        [InlineData("1.0.0rc1", "1rc1")]
        [InlineData("1.10.0.post1", "1.10.post1")]
        [InlineData("1!2.0.0.dev3", "1!2.dev3")]
        [InlineData("v1.0.0+Local.01", "1+local.1")]
        [InlineData("1.0-1", "1.post1")]
        public void Trims_trailing_zero_release_parts(string input, string expected) =>
            Assert.Equal(expected, PackageVersion.Parse(input).ToCanonicalString());
    }

    public sealed class CompareTo
    {
        // PEP 440's "Summary of permitted suffixes and relative ordering" example, in order.
        private static readonly string[] Pep440Example =
        [
            "1.dev0",
            "1.0.dev456",
            "1.0a1",
            "1.0a2.dev456",
            "1.0a12.dev456",
            "1.0a12",
            "1.0b1.dev456",
            "1.0b2",
            "1.0b2.post345.dev456",
            "1.0b2.post345",
            "1.0rc1.dev456",
            "1.0rc1",
            "1.0",
            "1.0+abc.5",
            "1.0+abc.7",
            "1.0+5",
            "1.0.post456.dev34",
            "1.0.post456",
            "1.0.15",
            "1.1.dev1",
        ];

        public static readonly TheoryData<string, string> Pep440Order = Pairs(Pep440Example);

        // More cases packaging orders: epochs, long releases, local label segments.
        public static readonly TheoryData<string, string> MoreOrder = Pairs(
        [
            "0.9",
            "1.0.dev0",
            "1.0.dev1+local",
            "1.0a0",
            "1.0",
            "1.0+a",
            "1.0+a.b",
            "1.0+a.1",
            "1.0+b",
            "1.0+0",
            "1.0+0.a",
            "1.0+2",
            "1.0+10",
            "1.0.post0.dev0",
            "1.0.post0",
            "1.0.post1",
            "1.0.1.dev0",
            "1.0.1",
            "1.9",
            "1.10",
            "2.0",
            "2!0.1",
        ]);

        [Theory]
        [MemberData(nameof(Pep440Order))]
        [MemberData(nameof(MoreOrder))]
        public void Orders_as_packaging_does(string lower, string higher)
        {
            PackageVersion low = PackageVersion.Parse(lower), high = PackageVersion.Parse(higher);
            Assert.True(low < high, $"{lower} < {higher}");
            Assert.True(high > low, $"{higher} > {lower}");
            Assert.True(low.CompareTo(high) < 0 && high.CompareTo(low) > 0);
            Assert.NotEqual(low, high);
        }

        [Fact]
        public void Sorts_the_pep440_example_from_any_order()
        {
            var shuffled = Pep440Example.OrderBy(s => s.GetHashCode(StringComparison.Ordinal)).Reverse().ToList();
            Assert.Equal(Pep440Example, shuffled.Select(PackageVersion.Parse).Order().Select(v => v.ToString()));
        }

        [Theory]
        [InlineData("1.0", "1.0.0")]
        [InlineData("1", "1.0.0.0")]
        [InlineData("v1.0", "1.0")]
        [InlineData("0!1.0", "1.0")]
        [InlineData("1.0alpha1", "1.0a1")]
        [InlineData("1.0-1", "1.0.post1")]
        [InlineData("1.0c1", "1.0rc1")]
        [InlineData("1.0+ABC", "1.0+abc")]
        [InlineData("1.0+a-1", "1.0+a.01")]
        [InlineData("1.0.0+x", "1+x")]
        public void Equal_versions_are_equal_with_equal_hashes(string left, string right)
        {
            PackageVersion a = PackageVersion.Parse(left), b = PackageVersion.Parse(right);
            Assert.Equal(0, a.CompareTo(b));
            Assert.True(a == b);
            Assert.False(a != b);
            Assert.True(a.Equals((object)b));
            Assert.Equal(a.GetHashCode(), b.GetHashCode());
            Assert.Single(new HashSet<PackageVersion> { a, b });
        }

        [Fact]
        public void Null_sorts_first_and_is_never_equal()
        {
            var version = PackageVersion.Parse("1.0");
            Assert.True(version.CompareTo(null) > 0);
            Assert.False(version.Equals(null));
            Assert.False(version == null);
            Assert.True((PackageVersion?)null == null);
        }

        private static TheoryData<string, string> Pairs(string[] ordered)
        {
            var data = new TheoryData<string, string>();
            for (var i = 0; i + 1 < ordered.Length; i++)
            {
                data.Add(ordered[i], ordered[i + 1]);
            }

            // Transitivity spot checks: first against every later one.
            for (var j = 2; j < ordered.Length; j++)
            {
                data.Add(ordered[0], ordered[j]);
            }

            return data;
        }
    }
}
