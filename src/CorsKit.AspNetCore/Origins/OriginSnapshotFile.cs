using System.Text.Json;
using CorsKit.Sources;
using Microsoft.Extensions.Logging;

namespace CorsKit.AspNetCore.Origins;

/// <summary>
/// An origin source's copy saved to a file (<see cref="OriginSourceOptions.SnapshotPath"/>), so that an app restarted while
/// its store is down starts with it: <c>{"savedAt": "...", "tenants": {"acme": ["https://app.acme.com"]}}</c>. Written
/// to a temporary file first and moved over the old one, so a crash mid-write leaves the previous snapshot whole.
/// Entries read back pass the source's checks again.
/// </summary>
internal static class OriginSnapshotFile
{
    public static async Task TryWriteAsync(string path, OriginSource source, ILogger logger, CancellationToken cancellationToken)
    {
        var temporary = path + ".tmp";
        try
        {
            await using (var stream = File.Create(temporary))
            await using (var json = new Utf8JsonWriter(stream))
            {
                json.WriteStartObject();
                json.WriteString("savedAt", source.LastReadAt ?? DateTimeOffset.UtcNow);
                json.WriteStartObject("tenants");
                foreach (var tenant in source.Copy())
                {
                    json.WriteStartArray(tenant.Tenant);
                    foreach (var origin in tenant.Origins)
                    {
                        json.WriteStringValue(origin);
                    }

                    json.WriteEndArray();
                    if (json.BytesPending > 64 * 1024)
                    {
                        await json.FlushAsync(cancellationToken).ConfigureAwait(false);
                    }
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.OriginSnapshotFailed(logger, ex, source.Name, path);
        }
    }

    public static async Task<(DateTimeOffset SavedAt, List<TenantOrigins> Tenants)?> TryReadAsync(string path, string source, DateTimeOffset now, ILogger logger, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            await using var stream = File.OpenRead(path);
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            var root = document.RootElement;
            var tenants = new List<TenantOrigins>();
            foreach (var tenant in root.GetProperty("tenants").EnumerateObject())
            {
                tenants.Add(new TenantOrigins(tenant.Name, [.. tenant.Value.EnumerateArray().Select(o => o.GetString() ?? string.Empty)]));
            }

            // A copy claiming to be younger than it can be would be served past its deadline (for ever, in effect, or
            // until the timer's wait overflows): the clock went back, or the file was edited. Refused as unreadable.
            var savedAt = root.GetProperty("savedAt").GetDateTimeOffset();
            return savedAt <= now
                ? (savedAt, tenants)
                : throw new FormatException($"it says it was saved at {savedAt:O}, later than now ({now:O}): the clock or the file is wrong");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            Log.OriginSnapshotFailed(logger, ex, source, path);
            return null;
        }
    }
}
