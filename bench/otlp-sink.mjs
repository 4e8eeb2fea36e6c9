// The benchmark's OpenTelemetry collector: accepts OTLP/HTTP exports (POST /v1/traces, /v1/logs),
// reads and drops them, and counts the bytes; GET /stats reports the counts. It does not decode the
// payloads, so the collector's own work stays off the 2 cores the gateway under test runs on.
// Usage: node bench/otlp-sink.mjs <port>   (prints "listening <port>" once bound)
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 0);
const stats = { '/v1/traces': { requests: 0, bytes: 0 }, '/v1/logs': { requests: 0, bytes: 0 } };

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    const text = JSON.stringify(stats);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  const s = stats[req.url ?? ''];
  req.on('data', (c) => {
    if (s) s.bytes += c.length;
  });
  req.on('end', () => {
    if (s) s.requests++;
    res.writeHead(s ? 200 : 404, { 'content-type': 'application/json', 'content-length': 2 });
    res.end('{}');
  });
});
server.listen(port, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
