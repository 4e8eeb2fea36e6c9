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

/** Calls `each(no, start, end)` for every length-delimited field in buf[from, to); skips the others. */
function eachField(buf, from, to, each) {
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
      each(key >>> 3, at, at + length);
      at += length;
    } else throw new Error(`wire type ${wire}`);
  }
}

/**
 * Spans or log records in one export request by instrumentation scope, in one pass (both nest as
 * field 1 ResourceSpans/ResourceLogs → field 2 ScopeSpans/ScopeLogs → field 2 each record; the
 * scope is field 1 of ScopeSpans/ScopeLogs, its name that message's field 1).
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
  eachField(body, 0, body.length, (no, a, b) => {
    if (no !== 1) return;
    eachField(body, a, b, (no2, c, d) => {
      if (no2 !== 2) return;
      let name = '';
      let n = 0;
      eachField(body, c, d, (no3, e, f) => {
        if (no3 === 2) n++;
        else if (no3 === 1)
          eachField(body, e, f, (no4, g, h) => {
            if (no4 === 1) name = body.toString('utf8', g, h);
          });
      });
      add(name, n);
    });
  });
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
