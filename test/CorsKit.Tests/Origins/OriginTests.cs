using CorsKit.Origins;

namespace CorsKit.Tests.Origins;

public sealed class OriginTests
{
    [Theory]
    [InlineData("https://app.example.com", "https://app.example.com")]
    [InlineData("HTTPS://App.Example.COM", "https://app.example.com")]
    [InlineData("https://app.example.com:443", "https://app.example.com")]
    [InlineData("http://app.example.com:80", "http://app.example.com")]
    [InlineData("wss://app.example.com:443", "wss://app.example.com")]
    [InlineData("ws://app.example.com:80", "ws://app.example.com")]
    [InlineData("https://app.example.com:80", "https://app.example.com:80")]
    [InlineData("http://app.example.com:443", "http://app.example.com:443")]
    [InlineData("https://app.example.com:8443", "https://app.example.com:8443")]
    [InlineData("http://localhost:5173", "http://localhost:5173")]
    [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080")]
    [InlineData("https://app.example.com:0443", "https://app.example.com")]
    [InlineData("https://bücher.example", "https://xn--bcher-kva.example")]
    [InlineData("https://BÜCHER.example", "https://xn--bcher-kva.example")]
    [InlineData("https://[::1]", "https://[::1]")]
    [InlineData("https://[2001:DB8:0:0:0:0:0:1]:8443", "https://[2001:db8::1]:8443")]
    [InlineData("http://[::1]:80", "http://[::1]")]
    public void Parse_ValidOrigin_ReturnsSerializedForm(string text, string expected)
    {
        // Act
        var origin = Origin.Parse(text);

        // Assert
        Assert.Equal(expected, origin.Serialized);
        Assert.Equal(expected, origin.ToString());
    }

    [Fact]
    public void Parse_OriginWithPort_SplitsSchemeHostAndPort()
    {
        // Act
        var origin = Origin.Parse("HTTPS://App.Example.com:8443");

        // Assert
        Assert.Equal("https", origin.Scheme);
        Assert.Equal("app.example.com", origin.Host);
        Assert.Equal(8443, origin.Port);
    }

    [Fact]
    public void Parse_DefaultPort_PortIsNull()
    {
        // Act
        var origin = Origin.Parse("https://app.example.com:443");

        // Assert
        Assert.Equal("https", origin.Scheme);
        Assert.Equal("app.example.com", origin.Host);
        Assert.Null(origin.Port);
    }

    [Fact]
    public void Parse_Ipv6Host_KeepsBracketsAndCompresses()
    {
        // Act
        var origin = Origin.Parse("http://[0:0:0:0:0:0:0:1]:3000");

        // Assert
        Assert.Equal("[::1]", origin.Host);
        Assert.Equal(3000, origin.Port);
        Assert.Equal("http://[::1]:3000", origin.Serialized);
    }

    [Fact]
    public void Parse_Invalid_ThrowsFormatExceptionWithReason()
    {
        // Act
        var ex = Assert.Throws<FormatException>(() => Origin.Parse("https://app.example.com/"));

        // Assert
        Assert.Equal("\"https://app.example.com/\" has a path (a trailing slash); an origin is scheme://host[:port], so write \"https://app.example.com\"", ex.Message);
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNullException()
    {
        // Act
        var ex = Assert.Throws<ArgumentNullException>(() => Origin.Parse(null!));

        // Assert
        Assert.Equal("text", ex.ParamName);
    }

    [Theory]
    [InlineData("", "an origin is empty; an origin is scheme://host[:port], for example \"https://app.example.com\"")]
    [InlineData(null, "an origin is empty; an origin is scheme://host[:port], for example \"https://app.example.com\"")]
    [InlineData("https://app .example.com", "\"https://app .example.com\" contains white space; an origin is scheme://host[:port] with no spaces")]
    [InlineData(" https://app.example.com", "\" https://app.example.com\" contains white space; an origin is scheme://host[:port] with no spaces")]
    [InlineData("https://app.example.com\t", "\"https://app.example.com\t\" contains white space; an origin is scheme://host[:port] with no spaces")]
    [InlineData("app.example.com", "\"app.example.com\" has no scheme; an origin is scheme://host[:port], so write \"https://app.example.com\" (or http://)")]
    [InlineData("app.example.com/", "\"app.example.com/\" has no scheme; an origin is scheme://host[:port], so write \"https://app.example.com\" (or http://)")]
    [InlineData("localhost:3000", "\"localhost:3000\" has no scheme; an origin is scheme://host[:port], so write \"https://localhost:3000\" (or http://)")]
    [InlineData("1http://app.example.com", "\"1http://app.example.com\" has an invalid scheme \"1http\"; an origin is scheme://host[:port]")]
    [InlineData("ht_tp://app.example.com", "\"ht_tp://app.example.com\" has an invalid scheme \"ht_tp\"; an origin is scheme://host[:port]")]
    [InlineData("https://app.example.com/", "\"https://app.example.com/\" has a path (a trailing slash); an origin is scheme://host[:port], so write \"https://app.example.com\"")]
    [InlineData("https://app.example.com/login", "\"https://app.example.com/login\" has a path; an origin is scheme://host[:port], so write \"https://app.example.com\"")]
    [InlineData("HTTPS://app.example.com:8443/", "\"HTTPS://app.example.com:8443/\" has a path (a trailing slash); an origin is scheme://host[:port], so write \"https://app.example.com:8443\"")]
    [InlineData("https://app.example.com?x=1", "\"https://app.example.com?x=1\" has a query; an origin is scheme://host[:port], so write \"https://app.example.com\"")]
    [InlineData("https://app.example.com#top", "\"https://app.example.com#top\" has a fragment; an origin is scheme://host[:port], so write \"https://app.example.com\"")]
    [InlineData("https://user:secret@app.example.com", "\"https://user:secret@app.example.com\" has user information (\"...@\"); an origin is scheme://host[:port] and never carries credentials")]
    [InlineData("https://app.example.com:99999", "\"https://app.example.com:99999\" has an invalid port \"99999\"; a port is a number from 0 to 65535")]
    [InlineData("https://app.example.com:65536", "\"https://app.example.com:65536\" has an invalid port \"65536\"; a port is a number from 0 to 65535")]
    [InlineData("https://app.example.com:123456", "\"https://app.example.com:123456\" has an invalid port \"123456\"; a port is a number from 0 to 65535")]
    [InlineData("https://app.example.com:http", "\"https://app.example.com:http\" has an invalid port \"http\"; a port is a number from 0 to 65535")]
    [InlineData("https://app.example.com:-1", "\"https://app.example.com:-1\" has an invalid port \"-1\"; a port is a number from 0 to 65535")]
    [InlineData("https://app.example.com:", "\"https://app.example.com:\" has an invalid port \"\"; a port is a number from 0 to 65535")]
    [InlineData("https://[::1]:x", "\"https://[::1]:x\" has an invalid port \"x\"; a port is a number from 0 to 65535")]
    [InlineData("https://:8080", "\"https://:8080\" has a malformed host; an origin is scheme://host[:port]")]
    [InlineData("https://[::1", "\"https://[::1\" has a malformed host; an origin is scheme://host[:port]")]
    [InlineData("https://[::1]8080", "\"https://[::1]8080\" has a malformed host; an origin is scheme://host[:port]")]
    [InlineData("https://", "\"https://\" has a malformed host; an origin is scheme://host[:port]")]
    [InlineData("https://exa!mple.com", "\"https://exa!mple.com\" has an invalid host \"exa!mple.com\"; an origin is scheme://host[:port]")]
    [InlineData("https://app..example.com", "\"https://app..example.com\" has an invalid host \"app..example.com\"; an origin is scheme://host[:port]")]
    [InlineData("https://.example.com", "\"https://.example.com\" has an invalid host \".example.com\"; an origin is scheme://host[:port]")]
    [InlineData("https://[127.0.0.1]", "\"https://[127.0.0.1]\" has an invalid host \"[127.0.0.1]\"; an origin is scheme://host[:port]")]
    [InlineData("https://[zz::1]", "\"https://[zz::1]\" has an invalid host \"[zz::1]\"; an origin is scheme://host[:port]")]
    public void TryParse_Invalid_ReturnsFalseWithExactMessage(string? text, string expected)
    {
        // Act
        var parsed = Origin.TryParse(text, out var origin, out var error);

        // Assert
        Assert.False(parsed);
        Assert.Null(origin);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryParse_Valid_ReturnsTrueAndNoError()
    {
        // Act
        var parsed = Origin.TryParse("https://App.Example.com", out var origin, out var error);

        // Assert
        Assert.True(parsed);
        Assert.Null(error);
        Assert.Equal("https://app.example.com", origin!.Serialized);
    }

    [Fact]
    public void TryParse_TrailingDotHost_KeptAsADistinctOrigin()
    {
        // Arrange: the URL standard keeps the root dot, so "https://app.example.com." is another origin.

        // Act
        var origin = Origin.Parse("https://app.example.com.");

        // Assert
        Assert.Equal("https://app.example.com.", origin.Serialized);
        Assert.NotEqual(Origin.Parse("https://app.example.com"), origin);
    }

    [Theory]
    [InlineData("http", 80)]
    [InlineData("ws", 80)]
    [InlineData("https", 443)]
    [InlineData("wss", 443)]
    [InlineData("ftp", 21)]
    [InlineData("chrome-extension", null)]
    [InlineData("HTTPS", null)]
    public void DefaultPort_Scheme_ReturnsSpecialSchemePort(string scheme, int? expected)
    {
        // Act
        var port = Origin.DefaultPort(scheme);

        // Assert
        Assert.Equal(expected, port);
    }

    [Theory]
    [InlineData("https://app.example.com")]
    [InlineData("http://localhost:5173")]
    [InlineData("http://127.0.0.1:8080")]
    [InlineData("https://xn--bcher-kva.example")]
    [InlineData("https://under_score.example.com")]
    [InlineData("https://app.example.com:8443")]
    [InlineData("https://app.example.com:80")]
    [InlineData("http://app.example.com:443")]
    [InlineData("https://app.example.com:0")]
    [InlineData("https://app.example.com:65535")]
    [InlineData("https://app.example.com.")]
    [InlineData("https://[::1]")]
    [InlineData("https://[2001:db8::1]:8443")]
    [InlineData("chrome-extension://abcdefghijklmnop")]
    [InlineData("web+app://app.example.com")]
    public void IsSerializedTupleOrigin_CanonicalForm_ReturnsTrue(string value)
    {
        // Act
        var result = Origin.IsSerializedTupleOrigin(value);

        // Assert
        Assert.True(result);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("app.example.com")]
    [InlineData("://app.example.com")]
    [InlineData("https://")]
    [InlineData("HTTPS://app.example.com")]
    [InlineData("Https://app.example.com")]
    [InlineData("https://App.example.com")]
    [InlineData("https://APP.EXAMPLE.COM")]
    [InlineData("1https://app.example.com")]
    [InlineData("ht_tp://app.example.com")]
    [InlineData("https://app.example.com:443")]
    [InlineData("http://app.example.com:80")]
    [InlineData("wss://app.example.com:443")]
    [InlineData("ws://app.example.com:80")]
    [InlineData("https://[::1]:443")]
    [InlineData("https://app.example.com/")]
    [InlineData("https://app.example.com/path")]
    [InlineData("https://app.example.com:8443/")]
    [InlineData("https://app.example.com?x")]
    [InlineData("https://app.example.com#x")]
    [InlineData("https://app..example.com")]
    [InlineData("https://..")]
    [InlineData("https://.example.com")]
    [InlineData("https://app.example.com:")]
    [InlineData("https://[::1]:")]
    [InlineData("https://app.example.com:08443")]
    [InlineData("https://app.example.com:00")]
    [InlineData("https://[::1]:0443")]
    [InlineData("https://app.example.com:65536")]
    [InlineData("https://app.example.com:123456")]
    [InlineData("https://app.example.com:8o")]
    [InlineData("https://app.example.com:80:80")]
    [InlineData("https://:8443")]
    [InlineData("https://user@app.example.com")]
    [InlineData("https://bücher.example")]
    [InlineData("https://app.example.com, https://app.example.com")]
    [InlineData(" https://app.example.com")]
    [InlineData("https://app.example.com\r\nx-evil: 1")]
    [InlineData("https://[::1")]
    [InlineData("https://[]")]
    [InlineData("https://[::1]x")]
    [InlineData("https://[2001:DB8::1]")]
    [InlineData("https://[::1%25eth0]")]
    public void IsSerializedTupleOrigin_NonCanonicalForm_ReturnsFalse(string value)
    {
        // Act
        var result = Origin.IsSerializedTupleOrigin(value);

        // Assert
        Assert.False(result);
    }

    [Theory]
    [InlineData("https://app.example.com")]
    [InlineData("http://localhost:5173")]
    [InlineData("https://xn--bcher-kva.example:8443")]
    [InlineData("https://[::1]:8080")]
    [InlineData("http://app.example.com:443")]
    public void IsSerializedTupleOrigin_ParsedOrigin_AgreesWithParse(string value)
    {
        // Arrange: what the shape check accepts is exactly what Parse produces for these.
        var serialized = Origin.Parse(value).Serialized;

        // Act
        var result = Origin.IsSerializedTupleOrigin(serialized);

        // Assert
        Assert.Equal(value, serialized);
        Assert.True(result);
    }

    [Fact]
    public void Equals_SameSerializedForm_EqualWithSameHashCode()
    {
        // Arrange
        var a = Origin.Parse("HTTPS://App.Example.com:443");
        var b = Origin.Parse("https://app.example.com");

        // Act
        var equal = a.Equals(b);

        // Assert
        Assert.True(equal);
        Assert.True(a.Equals((object)b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Theory]
    [InlineData("http://app.example.com")]
    [InlineData("https://app.example.com:8443")]
    [InlineData("https://api.example.com")]
    public void Equals_DifferentSchemeHostOrPort_NotEqual(string other)
    {
        // Arrange
        var origin = Origin.Parse("https://app.example.com");

        // Act
        var equal = origin.Equals(Origin.Parse(other));

        // Assert
        Assert.False(equal);
        Assert.False(origin.Equals(null));
    }

    [Fact]
    public void Null_IsTheOpaqueOriginSerialization()
    {
        // Assert
        Assert.Equal("null", Origin.Null);
    }
}
