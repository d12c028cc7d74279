// CorsKit playground: runs a request in this browser, then asks the demo (same origin) what CorsKit's browser model
// predicts from the headers the server really exchanged, and shows both side by side. Plain DOM, no build step.
'use strict';

const runParameter = 'corskit-run';
const $ = id => document.getElementById(id);
let api = '';

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

function parseHeaders(text) {
  return text.split('\n').map(line => line.trim()).filter(line => line.length > 0).map(line => {
    const colon = line.indexOf(':');
    return colon < 0 ? { name: line, value: '' } : { name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() };
  });
}

function newRunId() {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

// Runs the request as a page's script would, and reports what script can see.
async function send({ url, method, headers, body, credentials, initiator }) {
  const withBody = body.length > 0 && !['GET', 'HEAD'].includes(method.toUpperCase());
  if (initiator === 'xhr') {
    return new Promise(resolve => {
      const xhr = new XMLHttpRequest();
      xhr.open(method, url);
      xhr.withCredentials = credentials === 'include';
      for (const h of headers) xhr.setRequestHeader(h.name, h.value);
      xhr.onload = () => {
        const readable = {};
        for (const line of xhr.getAllResponseHeaders().split(/\r?\n/)) {
          const colon = line.indexOf(':');
          if (colon > 0) readable[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
        }
        resolve({ ok: true, status: xhr.status, body: xhr.responseText, readable });
      };
      xhr.onerror = () => resolve({ ok: false, error: 'XMLHttpRequest error event (status 0)' });
      xhr.send(withBody ? body : null);
    });
  }
  try {
    const init = { method, credentials, mode: 'cors', headers: headers.map(h => [h.name, h.value]) };
    if (withBody) init.body = body;
    const response = await fetch(url, init);
    const text = await response.text();
    const readable = {};
    for (const [name, value] of response.headers) readable[name] = value;
    return { ok: true, status: response.status, body: text, readable, redirected: response.redirected };
  } catch (e) {
    return { ok: false, error: `${e.name}: ${e.message}` };
  }
}

function detail(list, term, value, className) {
  const dd = element('dd', className ? { class: className } : {});
  if (value instanceof Node) dd.append(value); else dd.textContent = value;
  list.append(element('dt', {}, term), dd);
}

function bullets(items) {
  return items.length === 0 ? document.createTextNode('none') : element('ul', { class: 'plain' }, ...items.map(i => element('li', {}, i)));
}

function showBrowser(result) {
  const outcome = $('browser-outcome');
  outcome.className = `outcome ${result.ok ? 'allowed' : 'blocked'}`;
  outcome.textContent = result.ok ? `Script got ${result.status}` : 'Blocked: script got an error';
  const list = $('browser-details');
  list.replaceChildren();
  if (result.ok) {
    detail(list, 'Readable headers', bullets(Object.entries(result.readable).map(([n, v]) => `${n}: ${v}`)));
    detail(list, 'Body', result.body.length > 300 ? `${result.body.slice(0, 300)}…` : (result.body || '(empty)'), 'message');
    if (result.redirected) detail(list, 'Redirected', 'yes');
  } else {
    detail(list, 'Error', result.error, 'message');
    detail(list, 'Console', 'Script cannot read the console; open DevTools to see the browser\'s own message.');
  }
}

function showModel(answer) {
  const outcome = $('model-outcome');
  const list = $('model-details');
  list.replaceChildren();
  const p = answer.prediction;
  if (!p) {
    outcome.className = 'outcome blocked';
    outcome.textContent = 'No prediction';
    detail(list, 'Why', answer.error ?? 'unknown', 'message');
    return;
  }
  outcome.className = `outcome ${p.allowed ? 'allowed' : 'blocked'}`;
  outcome.textContent = p.allowed ? 'Allowed' : `Blocked: ${p.failure}`;
  if (p.chromiumMessage) detail(list, 'Chromium says', p.chromiumMessage, 'message');
  if (p.firefoxMessage) detail(list, 'Firefox says', p.firefoxMessage, 'message');
  if (p.webKitConsole.length > 0) detail(list, 'WebKit (Safari) says', p.webKitConsole.join('\n'), 'message webkit');
  if (p.allowed) detail(list, 'Readable headers', bullets(p.readableHeaders));
  p.hops.forEach((hop, i) => {
    const preflight = hop.preflight === 'sent' ? `preflight sent (${hop.preflightReasons.join('; ')})`
      : hop.preflight === 'cached' ? 'preflight answered from the cache' : 'no preflight (a simple request)';
    const cache = hop.chromiumCacheSeconds != null ? `; Chromium caches it ${hop.chromiumCacheSeconds} s, WebKit ${hop.webKitCacheSeconds} s` : '';
    detail(list, p.hops.length > 1 ? `Hop ${i + 1}` : 'Request', `${hop.method} with Origin ${hop.origin}: ${preflight}${cache} → ${hop.outcome}`);
  });
  if (p.warnings.length > 0) detail(list, 'Warnings', bullets(p.warnings));
  if (p.fix) showFix(list, p.fix);
}

// The fix, as `corskit check` prints it: what to change, the headers to send, and the configuration per framework.
function showFix(list, fix) {
  detail(list, 'Fix', fix.summary, 'fix-summary');
  detail(list, 'Send', fix.headers.join('\n'), 'message fix');
  if (fix.notes.length > 0) detail(list, 'Notes', bullets(fix.notes));
  for (const [framework, snippet] of Object.entries(fix.snippets)) detail(list, framework, snippet, 'message fix');
}

function sameHeaders(browser, model) {
  const a = Object.keys(browser.readable).sort();
  const b = [...model.readableHeaders].sort();
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

function showAgreement(result, answer) {
  const banner = $('agreement');
  const p = answer.prediction;
  let state = 'agree';
  let text = 'Your browser and CorsKit agree.';
  if (!p) {
    state = 'error';
    text = `CorsKit could not predict this request: ${answer.error}`;
  } else if (p.allowed !== result.ok) {
    state = 'disagree';
    text = `They disagree: the browser ${result.ok ? 'let script read the response' : 'blocked it'}, CorsKit predicted ${p.allowed ? 'allowed' : 'blocked'}.`;
  } else if (result.ok && !sameHeaders(result, p)) {
    state = 'disagree';
    text = 'They disagree on which response headers script can read.';
  } else if (answer.disagreements.length > 0) {
    state = 'disagree';
    text = `They disagree on the wire: ${answer.disagreements.join('; ')}`;
  }
  banner.dataset.agreement = state;
  banner.textContent = text;
}

function headerTable(caption, headers) {
  const table = element('table', {}, element('caption', {}, caption));
  for (const h of headers) {
    const cors = /^(origin|access-control-|vary$)/i.test(h.name);
    table.append(element('tr', cors ? { class: 'cors' } : {}, element('td', {}, h.name), element('td', {}, h.value)));
  }
  return table;
}

function showExchanges(exchanges) {
  const box = $('exchanges');
  box.replaceChildren();
  if (exchanges.length === 0) box.append(element('p', { class: 'note' }, 'The server received nothing.'));
  for (const e of exchanges) {
    const title = element('h3', {},
      element('span', { class: e.isPreflight ? 'tag preflight' : 'tag' }, e.isPreflight ? 'preflight' : 'request'),
      `${e.method} ${e.url} → ${e.status}`);
    box.append(element('div', { class: 'exchange' }, title,
      element('div', { class: 'sides' }, headerTable('Request headers', e.requestHeaders), headerTable('Response headers', e.responseHeaders))));
  }
}

async function run(event) {
  event.preventDefault();
  const button = $('run');
  button.disabled = true;
  try {
    const route = $('route').value.trim();
    const runId = newRunId();
    const url = `${api}${route.startsWith('/') ? '' : '/'}${route}${route.includes('?') ? '&' : '?'}${runParameter}=${encodeURIComponent(runId)}`;
    const request = {
      url,
      method: $('method').value.trim() || 'GET',
      headers: parseHeaders($('headers').value),
      body: $('body').value,
      credentials: $('credentials').value,
      initiator: $('initiator').value,
    };
    const result = await send(request);
    const response = await fetch('/playground/api/explain', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        run: runId, url, origin: location.origin, method: request.method, headers: request.headers,
        credentials: request.credentials, initiator: request.initiator,
      }),
    });
    const answer = await response.json();
    showBrowser(result);
    showModel(answer);
    showAgreement(result, answer);
    showExchanges(answer.exchanges);
    $('verdict').hidden = false;
  } finally {
    button.disabled = false;
  }
}

async function start() {
  const config = await (await fetch('/playground/api/config')).json();
  api = config.api;
  $('api-base').textContent = config.api;
  $('page-origin').textContent = location.origin;
  const list = $('routes');
  for (const route of config.routes) {
    const methods = route.methods.length > 0 ? route.methods.join(', ') : 'any method';
    list.append(element('option', { value: route.path, label: `${methods} · policy ${route.policy}` }));
  }
  $('routes-note').textContent = `${config.routes.length} API routes: ${config.routes.map(r => r.path).join(', ')}`;
  $('request-form').addEventListener('submit', run);
  document.body.dataset.ready = 'true';
}

start();
