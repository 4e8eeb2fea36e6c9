// The benchmark's OpenTelemetry collector: accepts OTLP/HTTP exports (POST /v1/traces, /v1/logs),
// counts the requests, bytes and records (in all and by instrumentation scope), and drops them;
// GET /stats reports the counts. Records
// are counted by walking the protobuf's outer fields (ResourceSpans/ResourceLogs → ScopeSpans/
// ScopeLogs → each span or log record) without decoding them, so the collector's own work stays
// small on the 2 cores the gateway under test runs on; a JSON export is parsed.
// Usage: node bench/otlp-sink.mjs <port>   (prints "listening <port>" once bound)
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 0);
const stats = { '/v1/traces': { requests: 0, bytes: 0, records: 0, scopes: {} }, '/v1/logs': { requests: 0, bytes: 0, records: 0, scopes: {} } };

/** The length-delimited fields numbered `no` in buf[from, to), as [start, end) pairs. */
function fields(buf, from, to, no) {
  const out = [];
  let at = from;
  const varint = () => {
    let v = 0;
    let shift = 1;
    for (;;) {
      const b = buf[at++];
      v += (b & 0x7f) * shift;
      if (b < 0x80) return v;
      shift *= 128;
    }
  };
  while (at < to) {
    const key = varint();
    const wire = key & 7;
    if (wire === 0) varint();
    else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else if (wire === 2) {
      const length = varint();
      if (key >>> 3 === no) out.push([at, at + length]);
      at += length;
    } else throw new Error(`wire type ${wire}`);
  }
  return out;
}

/**
 * Spans or log records in one export request by instrumentation scope (both nest as field 1 →
 * field 2 → field 2; the scope is field 1 of ScopeSpans/ScopeLogs, its name that message's field 1).
 */
function records(body, json, into) {
  const add = (scope, n) => {
    into[scope] = (into[scope] ?? 0) + n;
  };
  if (json) {
    const doc = JSON.parse(body.toString('utf8'));
    const outer = doc.resourceSpans ?? doc.resourceLogs ?? [];
    for (const r of outer) for (const s of r.scopeSpans ?? r.scopeLogs ?? []) add(s.scope?.name ?? '', (s.spans ?? s.logRecords ?? []).length);
    return;
  }
  for (const [a, b] of fields(body, 0, body.length, 1))
    for (const [c, d] of fields(body, a, b, 2)) {
      const [scope] = fields(body, c, d, 1);
      const [name] = scope ? fields(body, scope[0], scope[1], 1) : [];
      add(name ? body.toString('utf8', name[0], name[1]) : '', fields(body, c, d, 2).length);
    }
}

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    const text = JSON.stringify(stats);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  const s = stats[req.url ?? ''];
  const chunks = [];
  req.on('data', (c) => {
    if (s) chunks.push(c);
  });
  req.on('end', () => {
    if (s) {
      const body = Buffer.concat(chunks);
      s.requests++;
      s.bytes += body.length;
      try {
        const scopes = {};
        records(body, String(req.headers['content-type']).includes('json'), scopes);
        for (const [scope, n] of Object.entries(scopes)) {
          s.records += n;
          s.scopes[scope] = (s.scopes[scope] ?? 0) + n;
        }
      } catch {}
    }
    res.writeHead(s ? 200 : 404, { 'content-type': 'application/json', 'content-length': 2 });
    res.end('{}');
  });
});
server.listen(port, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
