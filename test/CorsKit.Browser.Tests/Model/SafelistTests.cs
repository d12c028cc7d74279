namespace CorsKit.Browser.Tests.Model;

public sealed class SafelistTests
{
    [Theory]
    [InlineData("GET", true)]
    [InlineData("HEAD", true)]
    [InlineData("POST", true)]
    [InlineData("get", false)]
    [InlineData("PUT", false)]
    [InlineData("PATCH", false)]
    public void IsCorsSafelistedMethod_Method_IsCaseSensitive(string method, bool expected)
    {
        // Act
        var safelisted = Safelist.IsCorsSafelistedMethod(method);

        // Assert
        Assert.Equal(expected, safelisted);
    }

    [Theory]
    [InlineData("delete", "DELETE")]
    [InlineData("get", "GET")]
    [InlineData("head", "HEAD")]
    [InlineData("options", "OPTIONS")]
    [InlineData("post", "POST")]
    [InlineData("put", "PUT")]
    [InlineData("patch", "patch")]
    [InlineData("PATCH", "PATCH")]
    [InlineData("Purge", "Purge")]
    public void NormalizeMethod_Method_UpperCasesOnlyTheSixFetchMethods(string method, string expected)
    {
        // Act
        var normalized = Safelist.NormalizeMethod(method);

        // Assert
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("Content-Type", "text/plain;")]
    [InlineData("Content-Type", "text/plain;garbage")]
    [InlineData("Content-Type", "text/plain ; charset=utf-8")]
    [InlineData("Content-Type", "TEXT/PLAIN; charset=utf-8; x")]
    [InlineData("Content-Type", "multipart/form-data; boundary=something")]
    [InlineData("content-type", "application/x-www-form-urlencoded;")]
    [InlineData("Content-Type", "text/plain;=b")]
    [InlineData("Range", "bytes=0-")]
    [InlineData("Range", "bytes=100-200")]
    [InlineData("Range", "bytes=100-100")]
    [InlineData("Accept", "application/json, text/*;q=0.8")]
    [InlineData("Accept-Language", "en-US,en;q=0.9")]
    [InlineData("Content-Language", "de-DE, *")]
    [InlineData("DPR", "2")]
    [InlineData("Device-Memory", "0.5")]
    [InlineData("Downlink", "1.5")]
    [InlineData("Width", "100")]
    [InlineData("Viewport-Width", "100")]
    [InlineData("RTT", "50")]
    [InlineData("Save-Data", "on")]
    [InlineData("ECT", "4g")]
    [InlineData("Intervention", "a:b")]
    public void IsCorsSafelistedRequestHeader_SafelistedValue_ReturnsTrue(string name, string value)
    {
        // Act
        var safelisted = Safelist.IsCorsSafelistedRequestHeader(name, value);

        // Assert
        Assert.True(safelisted);
    }

    [Theory]
    [InlineData("Content-Type", "text /plain")]
    [InlineData("Content-Type", "text/plain,")]
    [InlineData("Content-Type", "text/plain,text/plain")]
    [InlineData("Content-Type", "application/json")]
    [InlineData("Content-Type", "text/plain; charset=\"utf-8\"")]
    [InlineData("Content-Type", "")]
    [InlineData("Content-Type", "text/")]
    [InlineData("Range", "bytes=-200")]
    [InlineData("Range", "bytes=200-100")]
    [InlineData("Range", "bytes=100-200,300-400")]
    [InlineData("Range", "bytes= 100-200")]
    [InlineData("Range", "Bytes=100-200")]
    [InlineData("Range", "bytes=a-")]
    [InlineData("Accept", "text/\"html\"")]
    [InlineData("Accept", "text/html{")]
    [InlineData("Accept", "a\u0001b")]
    [InlineData("Accept", "a\u007Fb")]
    [InlineData("Accept-Language", "en_US")]
    [InlineData("Content-Language", "de:DE")]
    [InlineData("DPR", "abc")]
    [InlineData("Device-Memory", ".5")]
    [InlineData("Width", "1.5")]
    [InlineData("RTT", "abc")]
    [InlineData("Save-Data", "off")]
    [InlineData("ECT", "a:b")]
    [InlineData("X-Token", "1")]
    [InlineData("Authorization", "Bearer x")]
    public void IsCorsSafelistedRequestHeader_UnsafeNameOrValue_ReturnsFalse(string name, string value)
    {
        // Act
        var safelisted = Safelist.IsCorsSafelistedRequestHeader(name, value);

        // Assert
        Assert.False(safelisted);
    }

    [Fact]
    public void IsCorsSafelistedRequestHeader_ValueOf128Bytes_ReturnsTrue()
    {
        // Arrange
        var value = new string('a', 128);

        // Act
        var safelisted = Safelist.IsCorsSafelistedRequestHeader("Accept", value);

        // Assert
        Assert.True(safelisted);
    }

    [Fact]
    public void IsCorsSafelistedRequestHeader_ValueOf129Bytes_ReturnsFalse()
    {
        // Arrange
        var value = new string('a', 129);

        // Act
        var safelisted = Safelist.IsCorsSafelistedRequestHeader("Accept", value);

        // Assert
        Assert.False(safelisted);
    }

    [Theory]
    [InlineData('"')]
    [InlineData('(')]
    [InlineData(')')]
    [InlineData(':')]
    [InlineData('<')]
    [InlineData('>')]
    [InlineData('?')]
    [InlineData('@')]
    [InlineData('[')]
    [InlineData('\\')]
    [InlineData(']')]
    [InlineData('{')]
    [InlineData('}')]
    [InlineData('\u0000')]
    [InlineData('\u001F')]
    [InlineData('\u007F')]
    public void IsCorsUnsafeRequestHeaderByte_UnsafeByte_ReturnsTrue(char c)
    {
        // Act
        var unsafeByte = Safelist.IsCorsUnsafeRequestHeaderByte(c);

        // Assert
        Assert.True(unsafeByte);
    }

    [Theory]
    [InlineData('\t')]
    [InlineData(' ')]
    [InlineData('a')]
    [InlineData('/')]
    [InlineData(';')]
    [InlineData('=')]
    [InlineData('*')]
    public void IsCorsUnsafeRequestHeaderByte_SafeByte_ReturnsFalse(char c)
    {
        // Act
        var unsafeByte = Safelist.IsCorsUnsafeRequestHeaderByte(c);

        // Assert
        Assert.False(unsafeByte);
    }

    [Fact]
    public void CorsUnsafeRequestHeaderNames_MixedHeaders_ReturnsLowerCasedDeduplicatedSortedNames()
    {
        // Arrange
        HeaderField[] headers =
        [
            new("X-Zed", "1"), new("x-b", "1"), new("X-C", "1"), new("X-B", "2"),
            new("Content-Type", "application/json"), new("Accept", "*/*"),
        ];

        // Act
        var names = Safelist.CorsUnsafeRequestHeaderNames(headers);

        // Assert
        Assert.Equal(["content-type", "x-b", "x-c", "x-zed"], names);
    }

    [Fact]
    public void CorsUnsafeRequestHeaderNames_SafelistedValuesOver1024Bytes_ReturnsThemAll()
    {
        // Arrange: eleven Accept entries of 94 bytes each, every one safelisted alone, 1034 bytes together.
        var headers = Enumerable.Range(0, 11).Select(_ => new HeaderField("Accept", new string('a', 94))).Append(new HeaderField("Content-Language", "en"));

        // Act
        var names = Safelist.CorsUnsafeRequestHeaderNames(headers);

        // Assert
        Assert.Equal(["accept", "content-language"], names);
    }

    [Fact]
    public void CorsUnsafeRequestHeaderNames_SafelistedValuesOfExactly1024Bytes_ReturnsNone()
    {
        // Arrange: eight Accept entries of 128 bytes: 1024 bytes is not more than 1024.
        var headers = Enumerable.Range(0, 8).Select(_ => new HeaderField("Accept", new string('a', 128)));

        // Act
        var names = Safelist.CorsUnsafeRequestHeaderNames(headers);

        // Assert
        Assert.Empty(names);
    }

    [Fact]
    public void CorsUnsafeRequestHeaderNames_ForbiddenHeaders_AreSkipped()
    {
        // Arrange
        HeaderField[] headers = [new("Cookie", "a=b"), new("Sec-Foo", "1"), new("Proxy-Foo", "1"), new("X-Ok", "1")];

        // Act
        var names = Safelist.CorsUnsafeRequestHeaderNames(headers);

        // Assert
        Assert.Equal(["x-ok"], names);
    }

    [Theory]
    [InlineData("Accept-Charset")]
    [InlineData("accept-encoding")]
    [InlineData("Access-Control-Request-Headers")]
    [InlineData("Access-Control-Request-Method")]
    [InlineData("Connection")]
    [InlineData("Content-Length")]
    [InlineData("Cookie")]
    [InlineData("Cookie2")]
    [InlineData("Date")]
    [InlineData("DNT")]
    [InlineData("Expect")]
    [InlineData("Host")]
    [InlineData("Keep-Alive")]
    [InlineData("Origin")]
    [InlineData("Referer")]
    [InlineData("Set-Cookie")]
    [InlineData("TE")]
    [InlineData("Trailer")]
    [InlineData("Transfer-Encoding")]
    [InlineData("Upgrade")]
    [InlineData("Via")]
    [InlineData("Proxy-Authorization")]
    [InlineData("proxy-anything")]
    [InlineData("Sec-Fetch-Mode")]
    [InlineData("sec-foo")]
    public void IsForbiddenRequestHeaderName_ForbiddenName_ReturnsTrue(string name)
    {
        // Act
        var forbidden = Safelist.IsForbiddenRequestHeaderName(name);

        // Assert
        Assert.True(forbidden);
    }

    [Theory]
    [InlineData("Authorization")]
    [InlineData("X-Token")]
    [InlineData("Content-Type")]
    [InlineData("Access-Control-Request-Private-Network")]
    [InlineData("Secret")]
    [InlineData("Proxied")]
    public void IsForbiddenRequestHeaderName_OrdinaryName_ReturnsFalse(string name)
    {
        // Act
        var forbidden = Safelist.IsForbiddenRequestHeaderName(name);

        // Assert
        Assert.False(forbidden);
    }

    [Theory]
    [InlineData("X-HTTP-Method-Override", "TRACE", true)]
    [InlineData("X-HTTP-Method", "put, connect", true)]
    [InlineData("X-Method-Override", "track", true)]
    [InlineData("X-HTTP-Method-Override", "PUT", false)]
    [InlineData("X-Token", "TRACE", false)]
    public void IsForbiddenRequestHeader_MethodOverride_DependsOnTheValue(string name, string value, bool expected)
    {
        // Act
        var forbidden = Safelist.IsForbiddenRequestHeader(name, value);

        // Assert
        Assert.Equal(expected, forbidden);
    }

    [Theory]
    [InlineData("CONNECT", true)]
    [InlineData("trace", true)]
    [InlineData("Track", true)]
    [InlineData("PATCH", false)]
    public void IsForbiddenMethod_Method_MatchesCaseInsensitively(string method, bool expected)
    {
        // Act
        var forbidden = Safelist.IsForbiddenMethod(method);

        // Assert
        Assert.Equal(expected, forbidden);
    }
}
