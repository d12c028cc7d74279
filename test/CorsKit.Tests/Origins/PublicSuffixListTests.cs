using CorsKit.Origins;

namespace CorsKit.Tests.Origins;

public sealed class PublicSuffixListTests
{
    // The rules of the publicsuffix.org test list that these tests need, in the file's own format.
    private const string SmallList = """
        // ===BEGIN ICANN DOMAINS===
        com
        uk
        co.uk
        // jp: a wildcard rule with an exception
        jp
        *.kawasaki.jp
        !city.kawasaki.jp
        *.ck
        !www.ck
        公司.cn
        // ===END ICANN DOMAINS===
        // ===BEGIN PRIVATE DOMAINS===
        github.io   trailing text after white space is ignored
        // ===END PRIVATE DOMAINS===
        """;

    private static readonly PublicSuffixList Small = PublicSuffixList.Parse(new StringReader(SmallList));

    [Theory]
    [InlineData("example.com", "com")]
    [InlineData("www.example.com", "com")]
    [InlineData("com", "com")]
    [InlineData("example.co.uk", "co.uk")]
    [InlineData("a.b.example.co.uk", "co.uk")]
    [InlineData("example.uk", "uk")]
    [InlineData("user.github.io", "github.io")]
    [InlineData("notgithub.io", "io")]          // no rule for "io": the implicit rule "*"
    [InlineData("example.test", "test")]
    public void GetPublicSuffix_NormalRules_LongestMatchingRuleWins(string host, string expected)
    {
        // Act
        var suffix = Small.GetPublicSuffix(host);

        // Assert
        Assert.Equal(expected, suffix);
    }

    [Theory]
    [InlineData("kawasaki.jp", "jp")]                   // the wildcard's base alone is not matched by "*.kawasaki.jp"
    [InlineData("foo.kawasaki.jp", "foo.kawasaki.jp")]
    [InlineData("a.foo.kawasaki.jp", "foo.kawasaki.jp")]
    [InlineData("ck", "ck")]
    [InlineData("example.ck", "example.ck")]
    [InlineData("a.example.ck", "example.ck")]
    public void GetPublicSuffix_WildcardRule_AnyLabelInFrontOfItsBaseIsASuffix(string host, string expected)
    {
        // Act
        var suffix = Small.GetPublicSuffix(host);

        // Assert
        Assert.Equal(expected, suffix);
    }

    [Theory]
    [InlineData("city.kawasaki.jp", "kawasaki.jp")]
    [InlineData("www.city.kawasaki.jp", "kawasaki.jp")]
    [InlineData("www.ck", "ck")]
    [InlineData("a.www.ck", "ck")]
    public void GetPublicSuffix_ExceptionRule_BeatsTheWildcardAndDropsItsFirstLabel(string host, string expected)
    {
        // Act
        var suffix = Small.GetPublicSuffix(host);

        // Assert
        Assert.Equal(expected, suffix);
    }

    [Fact]
    public void GetPublicSuffix_UnicodeRule_MatchesThePunycodeHost()
    {
        // Act: "公司.cn" is read as "xn--55qx5d.cn", the form an origin carries.
        var suffix = Small.GetPublicSuffix("shop.xn--55qx5d.cn");

        // Assert
        Assert.Equal("xn--55qx5d.cn", suffix);
    }

    [Theory]
    [InlineData("com", true)]
    [InlineData("co.uk", true)]
    [InlineData("github.io", true)]
    [InlineData("foo.kawasaki.jp", true)]
    [InlineData("io", true)]                  // the implicit rule "*": every top-level domain
    [InlineData("example.com", false)]
    [InlineData("example.co.uk", false)]
    [InlineData("notgithub.io", false)]
    [InlineData("city.kawasaki.jp", false)]
    [InlineData("www.ck", false)]
    public void IsPublicSuffix_SmallList_TrueOnlyForTheSuffixItself(string host, bool expected)
    {
        // Act
        var result = Small.IsPublicSuffix(host);

        // Assert
        Assert.Equal(expected, result);
    }

    [Theory]
    [InlineData("com", true)]
    [InlineData("co.uk", true)]
    [InlineData("github.io", true)]           // PRIVATE section
    [InlineData("herokuapp.com", true)]       // PRIVATE section
    [InlineData("foo.kawasaki.jp", true)]     // wildcard rule
    [InlineData("example.com", false)]
    [InlineData("example.co.uk", false)]
    [InlineData("app.github.io", false)]
    [InlineData("notgithub.io", false)]
    [InlineData("city.kawasaki.jp", false)]   // exception rule
    [InlineData("www.ck", false)]             // exception rule
    public void IsPublicSuffix_EmbeddedList_ReadsBothSectionsAndAllRuleKinds(string host, bool expected)
    {
        // Act
        var result = PublicSuffixList.Instance.IsPublicSuffix(host);

        // Assert
        Assert.Equal(expected, result);
    }

    [Fact]
    public void Instance_EmbeddedList_ParsedOnceWithThousandsOfRules()
    {
        // Act
        var first = PublicSuffixList.Instance;
        var second = PublicSuffixList.Instance;

        // Assert
        Assert.Same(first, second);
        Assert.InRange(first.RuleCount, 5_000, 20_000);
    }

    [Fact]
    public void Suffixes_SmallList_ShortestFirstWithTheLabelInFrontOfWildcards()
    {
        // Act
        var suffixes = Small.Suffixes("probe");

        // Assert
        Assert.Equal(["com", "jp", "uk", "co.uk", "github.io", "probe.ck", "xn--55qx5d.cn", "probe.kawasaki.jp"], suffixes);
    }

    [Fact]
    public void Parse_Null_Throws()
    {
        // Act
        var ex = Assert.Throws<ArgumentNullException>(() => PublicSuffixList.Parse(null!));

        // Assert
        Assert.Equal("list", ex.ParamName);
    }
}
