'use strict';
// A deliberately plain HTTP server for the Firefox check, on 127.0.0.1 only.
//   node raw-server.js PORT [PORT...]
// On every port:
//   GET /        a blank HTML page (the page origins the scenarios run in)
//   /raw/...     answers with the CORS headers its query names, as a broken server would:
//                acao, acac, acam, acah, aceh, acma, location, status; each repeated name is a separate header line;
//                "pf-" before a name applies it to the preflight only (an OPTIONS with Access-Control-Request-Method).
// It exits by itself after CORSKIT_RAW_SERVER_SECONDS (default 300) so that it can never outlive the check.

const http = require('node:http');

const page = '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>CorsKit Firefox check</title><body></body>';
const headers = [
  ['acao', 'Access-Control-Allow-Origin'],
  ['acac', 'Access-Control-Allow-Credentials'],
  ['acam', 'Access-Control-Allow-Methods'],
  ['acah', 'Access-Control-Allow-Headers'],
  ['aceh', 'Access-Control-Expose-Headers'],
  ['acma', 'Access-Control-Max-Age'],
  ['location', 'Location'],
];

function pick(query, name, preflight) {
  const preflightOnly = query.getAll('pf-' + name);
  return preflight && preflightOnly.length > 0 ? preflightOnly : query.getAll(name);
}

function handle(request, response) {
  const url = new URL(request.url, 'http://127.0.0.1');
  if (url.pathname === '/') {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(page);
    return;
  }

  if (!url.pathname.startsWith('/raw/')) {
    response.writeHead(404, { 'Content-Type': 'text/plain' });
    response.end('not found');
    return;
  }

  const preflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
  const lines = [];
  for (const [query, header] of headers) {
    for (const value of pick(url.searchParams, query, preflight)) {
      lines.push(header, value);
    }
  }

  const status = pick(url.searchParams, 'status', preflight);
  const code = status.length > 0 ? Number.parseInt(status[0], 10) : preflight ? 204 : 200;
  const body = preflight ? '' : JSON.stringify({ route: 'raw', method: request.method, origin: request.headers.origin ?? null });
  if (!preflight) {
    lines.push('Content-Type', 'application/json');
  }

  // Raw header pairs keep repeated names as separate lines.
  response.writeHead(code, lines);
  response.end(body);
}

const ports = process.argv.slice(2).map(p => Number.parseInt(p, 10));
if (ports.length === 0 || ports.some(p => !Number.isInteger(p) || p <= 0)) {
  console.error('usage: node raw-server.js PORT [PORT...]');
  process.exit(2);
}

for (const port of ports) {
  http.createServer(handle).listen(port, '127.0.0.1');
}

const seconds = Number.parseInt(process.env.CORSKIT_RAW_SERVER_SECONDS ?? '300', 10);
setTimeout(() => process.exit(0), seconds * 1000).unref();
console.log(`raw server on 127.0.0.1 ports ${ports.join(', ')}`);
