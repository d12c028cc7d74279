using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CorsKit.AspNetCore.Headers;

/// <summary>
/// The <c>Headers</c> of <see cref="Reply"/> and of the results with headers: a header dictionary that checks every write
/// with <see cref="HeaderField.Validate"/> before it changes anything, so <c>reply.Headers["X-Foo"] = value</c> fails at that
/// line with the same message as <c>WithHeader</c>, and a refused write leaves the headers as they were.
/// </summary>
/// <remarks>
/// Every write path comes through here: the indexer (also the typed properties such as <c>ContentType</c>, which
/// <see cref="IHeaderDictionary"/> implements with it, and the <c>Append</c> extension), <c>Add</c> (also the
/// <c>TryAdd</c> extension) and <see cref="ContentLength"/>, whose digits need no check.
/// </remarks>
internal sealed class CheckedHeaderDictionary : IHeaderDictionary
{
    private readonly HeaderDictionary _headers = new();

    public int Count => _headers.Count;

    public bool IsReadOnly => false;

    public ICollection<string> Keys => _headers.Keys;

    public ICollection<StringValues> Values => _headers.Values;

    public long? ContentLength
    {
        get => _headers.ContentLength;
        set => _headers.ContentLength = value;
    }

    /// <summary>The value, or <see cref="StringValues.Empty"/> when absent; setting <see cref="StringValues.Empty"/> removes it.</summary>
    public StringValues this[string key]
    {
        get => _headers[key];
        set
        {
            HeaderField.Validate(key, value);
            _headers[key] = value;
        }
    }

    // The dictionary view throws KeyNotFoundException for an absent key, as HeaderDictionary's does.
    StringValues IDictionary<string, StringValues>.this[string key]
    {
        get => ((IDictionary<string, StringValues>)_headers)[key];
        set => this[key] = value;
    }

    public void Add(string key, StringValues value)
    {
        HeaderField.Validate(key, value);
        _headers.Add(key, value);
    }

    public void Add(KeyValuePair<string, StringValues> item) => Add(item.Key, item.Value);

    public bool Remove(string key) => _headers.Remove(key);

    public bool Remove(KeyValuePair<string, StringValues> item) => _headers.Remove(item);

    public void Clear() => _headers.Clear();

    public bool ContainsKey(string key) => _headers.ContainsKey(key);

    public bool Contains(KeyValuePair<string, StringValues> item) => _headers.Contains(item);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out StringValues value) => _headers.TryGetValue(key, out value);

    public void CopyTo(KeyValuePair<string, StringValues>[] array, int arrayIndex) => _headers.CopyTo(array, arrayIndex);

    public IEnumerator<KeyValuePair<string, StringValues>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, StringValues>>)_headers).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
