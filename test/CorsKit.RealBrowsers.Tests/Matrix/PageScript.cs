namespace CorsKit.RealBrowsers.Tests.Matrix;

/// <summary>The JavaScript run in the page for one request: fetch() or XMLHttpRequest, reporting what script can see.</summary>
internal static class PageScript
{
    /// <summary>Takes <c>{ url, method, headers: [[n, v]], body, bodyKind, credentials, initiator, uploadListener, reads: [n] }</c>.</summary>
    public const string Send = """
        async (s) => {
          const body = () => {
            if (s.body === null) return null;
            if (s.bodyKind === 'UrlEncoded') return new URLSearchParams(s.body);
            if (s.bodyKind === 'FormData') { const form = new FormData(); form.append('field', s.body); return form; }
            return s.body;
          };
          const failed = error => ({ ok: false, status: 0, body: null, error, redirected: false, headerNames: [], reads: {} });
          if (s.initiator === 'XmlHttpRequest') {
            return await new Promise(resolve => {
              const xhr = new XMLHttpRequest();
              xhr.open(s.method, s.url);
              xhr.withCredentials = s.credentials === 'include';
              for (const [name, value] of s.headers) xhr.setRequestHeader(name, value);
              if (s.uploadListener) xhr.upload.addEventListener('progress', () => {});
              xhr.onload = () => {
                const headers = {};
                for (const line of xhr.getAllResponseHeaders().split(/\r?\n/)) {
                  const colon = line.indexOf(':');
                  if (colon <= 0) continue;
                  const name = line.slice(0, colon).trim().toLowerCase();
                  const value = line.slice(colon + 1).trim();
                  headers[name] = name in headers ? headers[name] + ', ' + value : value;
                }
                resolve({
                  ok: true, status: xhr.status, body: xhr.responseText, error: null,
                  redirected: xhr.responseURL !== new URL(s.url).href,
                  headerNames: Object.keys(headers).sort(),
                  reads: Object.fromEntries(s.reads.map(n => [n, n in headers ? headers[n] : null])),
                });
              };
              xhr.onerror = () => resolve(failed('XMLHttpRequest: error event'));
              xhr.send(body());
            });
          }
          try {
            const init = { method: s.method, headers: s.headers, credentials: s.credentials, mode: 'cors' };
            const b = body();
            if (b !== null) init.body = b;
            const response = await fetch(s.url, init);
            const text = await response.text();
            return {
              ok: true, status: response.status, body: text, error: null, redirected: response.redirected,
              headerNames: [...response.headers.keys()],
              reads: Object.fromEntries(s.reads.map(n => [n, response.headers.get(n)])),
            };
          } catch (e) {
            return failed(`${e.name}: ${e.message}`);
          }
        }
        """;
}
