using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace CorsKit.AspNetCore.Replies;

/// <summary>The body of a <see cref="Reply"/>: text, bytes, a stream, a value serialized as JSON, or nothing.</summary>
internal abstract class ReplyBody
{
    public static readonly ReplyBody Empty = new EmptyBody();

    public abstract Task WriteAsync(HttpResponse response);

    private sealed class EmptyBody : ReplyBody
    {
        public override Task WriteAsync(HttpResponse response) => Task.CompletedTask;
    }

    /// <summary>Text, encoded as UTF-8, with its length.</summary>
    public sealed class Text(string text) : ReplyBody
    {
        public override Task WriteAsync(HttpResponse response)
        {
            if (text.Length == 0)
            {
                return Task.CompletedTask;
            }

            response.ContentLength = Encoding.UTF8.GetByteCount(text);
            return response.WriteAsync(text, Encoding.UTF8, response.HttpContext.RequestAborted);
        }
    }

    /// <summary>Bytes as they are, with their length.</summary>
    public sealed class Bytes(ReadOnlyMemory<byte> bytes) : ReplyBody
    {
        public override async Task WriteAsync(HttpResponse response)
        {
            if (bytes.IsEmpty)
            {
                return;
            }

            response.ContentLength = bytes.Length;
            await response.Body.WriteAsync(bytes, response.HttpContext.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>A stream copied to the response, then disposed (also when copying fails).</summary>
    public sealed class Streamed(Stream stream) : ReplyBody
    {
        public override async Task WriteAsync(HttpResponse response)
        {
            await using (stream.ConfigureAwait(false))
            {
                if (stream.CanSeek)
                {
                    response.ContentLength = stream.Length - stream.Position;
                }

                await stream.CopyToAsync(response.Body, response.HttpContext.RequestAborted).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A value serialized with the given options, else the app's minimal-API JSON options (<c>ConfigureHttpJsonOptions</c>).</summary>
    public sealed class Json(object? value, Type type, JsonSerializerOptions? options) : ReplyBody
    {
        public override Task WriteAsync(HttpResponse response)
        {
            var serializerOptions = options
                ?? response.HttpContext.RequestServices?.GetService<IOptions<HttpJsonOptions>>()?.Value.SerializerOptions
                ?? JsonSerializerOptions.Web;
            return JsonSerializer.SerializeAsync(response.Body, value, type, serializerOptions, response.HttpContext.RequestAborted);
        }
    }
}
