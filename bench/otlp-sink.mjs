// The benchmark's OpenTelemetry collector: accepts OTLP/HTTP exports (POST /v1/traces, /v1/logs),
// counts the requests, bytes and records (in all and by instrumentation scope), and drops them;
// GET /stats reports the counts; each export is answered as a collector answers it. A protobuf
// export is counted as its chunks arrive, never joined into one buffer (a large export's copy and
// the garbage it leaves were most of this collector's CPU, which on the bench's 2 cores is taken
// from the gateway under test): the walk descends
// ExportTraceServiceRequest/ExportLogsServiceRequest → ResourceSpans/ResourceLogs (field 1) →
// ScopeSpans/ScopeLogs (field 2) → its InstrumentationScope's name (field 1, field 1) and counts
// each span or log record (field 2) there, skipping its bytes unread. Every length must end where
// its message ends and the body where the request's last message does, or the export counts for
// nothing: the counts are exact, as a decoding collector's would be. A JSON export is parsed.
// Usage: node bench/otlp-sink.mjs <port>   (prints "listening <port>" once bound)
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 0);
const stats = { '/v1/traces': { requests: 0, bytes: 0, records: 0, scopes: {} }, '/v1/logs': { requests: 0, bytes: 0, records: 0, scopes: {} } };

// What each level of the walk is in: the request, a resource's, a scope's, an instrumentation scope's message.
const REQUEST = 0;
const RESOURCE = 1;
const SCOPE = 2;
const INSTRUMENTATION = 3;
// The message a length-delimited field opens, by level and field number (field 1 of the instrumentation scope is its name).
const OPENS = [{ 1: RESOURCE }, { 2: SCOPE }, { 1: INSTRUMENTATION }, {}];

/**
 * Counts one protobuf export's records by scope as its bytes arrive (`push` each chunk, then `end`).
 * Reads each key and length varint byte by byte (they may straddle chunks), steps over what it does
 * not descend into, and tracks where each open message ends.
 */
class RecordCounter {
  pos = 0;
  // Open messages: their level and the position where each ends (the request's at the body's end).
  levels = [REQUEST];
  ends = [Number.POSITIVE_INFINITY];
  // The varint being read (key, then length for wire type 2), and its shift.
  value = 0;
  shift = 1;
  // What the varint read is: 'key', 'length', 'varint' (a value skipped), or null between fields.
  reading = 'key';
  wire = 0;
  field = 0;
  // Bytes left to step over (a record, a fixed value, a field not descended into).
  skip = 0;
  // The current scope's records and name bytes (the name is collected while the walk is in it).
  records = 0;
  name = [];
  naming = false;
  scopes = {};

  push(chunk) {
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (this.skip > 0) {
        const step = Math.min(this.skip, n - i);
        if (this.naming) for (let j = 0; j < step; j++) this.name.push(chunk[i + j]);
        this.skip -= step;
        i += step;
        this.pos += step;
        if (this.skip === 0) this.naming = false;
        continue;
      }
      this.#close();
      const b = chunk[i++];
      this.pos++;
      this.value += (b & 0x7f) * this.shift;
      if (b >= 0x80) {
        this.shift *= 128;
        continue;
      }
      const value = this.value;
      this.value = 0;
      this.shift = 1;
      this.#varint(value);
    }
  }

  /** Pops the messages that end here: a scope's adds its records under its name. */
  #close() {
    let last = this.ends.length - 1;
    while (this.ends[last] === this.pos) {
      if (this.levels[last] === SCOPE) {
        const name = Buffer.from(this.name).toString('utf8');
        this.scopes[name] = (this.scopes[name] ?? 0) + this.records;
        this.records = 0;
        this.name = [];
      }
      this.levels.pop();
      this.ends.pop();
      last--;
    }
    if (this.ends[last] < this.pos) throw new Error('a field runs past its message');
  }

  #varint(value) {
    if (this.reading === 'varint') {
      this.reading = 'key';
      return;
    }
    if (this.reading === 'key') {
      this.wire = value & 7;
      this.field = Math.floor(value / 8);
      if (this.wire === 0) this.reading = 'varint';
      else if (this.wire === 1) this.skip = 8;
      else if (this.wire === 5) this.skip = 4;
      else if (this.wire === 2) this.reading = 'length';
      else throw new Error(`wire type ${this.wire}`);
      return;
    }
    // A length: the field's bytes follow.
    this.reading = 'key';
    const level = this.levels.at(-1);
    const opens = OPENS[level][this.field];
    if (level === SCOPE && this.field === 2) {
      this.records++;
      this.skip = value;
    } else if (level === INSTRUMENTATION && this.field === 1) {
      this.naming = value > 0;
      this.skip = value;
    } else if (opens !== undefined) {
      this.levels.push(opens);
      this.ends.push(this.pos + value);
    } else this.skip = value;
  }

  /** The counts by scope, once the body has ended where its last message did. */
  end() {
    this.#close();
    if (this.skip > 0 || this.reading !== 'key' || this.shift !== 1 || this.levels.length !== 1) throw new Error('the export ends inside a field');
    return this.scopes;
  }
}

/** Spans or log records in a JSON export, by instrumentation scope. */
function jsonRecords(body) {
  const into = {};
  const doc = JSON.parse(body.toString('utf8'));
  const outer = doc.resourceSpans ?? doc.resourceLogs ?? [];
  for (const r of outer)
    for (const s of r.scopeSpans ?? r.scopeLogs ?? []) into[s.scope?.name ?? ''] = (into[s.scope?.name ?? ''] ?? 0) + (s.spans ?? s.logRecords ?? []).length;
  return into;
}

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    const text = JSON.stringify(stats);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  const s = stats[req.url ?? ''];
  const json = String(req.headers['content-type']).includes('json');
  const counter = s && !json ? new RecordCounter() : null;
  const chunks = [];
  let bytes = 0;
  let failed = false;
  req.on('data', (c) => {
    bytes += c.length;
    if (!s || failed) return;
    if (counter === null) chunks.push(c);
    else
      try {
        counter.push(c);
      } catch {
        failed = true;
      }
  });
  req.on('end', () => {
    if (s) {
      s.requests++;
      s.bytes += bytes;
      try {
        if (failed) throw new Error('unreadable export');
        const scopes = counter === null ? jsonRecords(Buffer.concat(chunks)) : counter.end();
        for (const [scope, n] of Object.entries(scopes)) {
          s.records += n;
          s.scopes[scope] = (s.scopes[scope] ?? 0) + n;
        }
      } catch {}
    }
    // As a collector answers: an empty Export*ServiceResponse in the request's encoding (a JSON
    // answer to a protobuf export made the exporter parse '{}' as protobuf, ~50 µs a request).
    if (s && !json) {
      res.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': 0 });
      res.end();
      return;
    }
    res.writeHead(s ? 200 : 404, { 'content-type': 'application/json', 'content-length': 2 });
    res.end('{}');
  });
});
server.listen(port, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
