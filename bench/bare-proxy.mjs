// The floor: a correct, featureless reverse proxy on node:http + one undici keep-alive pool.
// It streams bodies both ways, strips hop-by-hop headers, sets X-Forwarded-For and nothing else.
// The response body goes through pipe() plus error/close handling, as in Gatehouse, rather than
// stream.pipeline() (which costs an AbortController and a DOMException per call), so the floor
// is not lowered by a known overhead.
// Usage: node bench/bare-proxy.mjs <port> <upstream-origin>
import { createServer } from 'node:http';
import { Pool } from 'undici';

const port = Number(process.argv[2] ?? 0);
const pool = new Pool(process.argv[3], { connections: 256, keepAliveTimeout: 4_000 });
const HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'expect',
]);

function ignore() {}

function strip(src) {
  const out = {};
  for (const name in src) if (!HOP.has(name)) out[name] = src[name];
  return out;
}

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  const headers = strip(req.headers);
  const prior = req.headers['x-forwarded-for'];
  headers['x-forwarded-for'] = prior ? `${prior}, ${req.socket.remoteAddress}` : req.socket.remoteAddress;
  const hasBody = req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0';
  pool.request({ path: req.url, method: req.method, headers, body: hasBody ? req : null }).then(
    (up) => {
      res.writeHead(up.statusCode, strip(up.headers));
      up.body.on('error', () => res.destroy());
      res.on('close', () => {
        if (!up.body.readableEnded) up.body.on('error', ignore).destroy();
      });
      up.body.pipe(res);
    },
    () => {
      if (res.headersSent) return res.destroy();
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('bad gateway');
    },
  );
});
server.listen(port, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
process.on('SIGTERM', () => process.exit(0));
