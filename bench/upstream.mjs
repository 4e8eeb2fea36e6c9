// The benchmark upstream: answers every request with the same 1 KB JSON body, keep-alive; and, at
// POST /oauth/token, an hour-long access token (the token endpoint of the oauth2 scenario).
// Usage: node bench/upstream.mjs <port>   (prints "listening <port>" once bound)
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 0);
const items = [];
for (let i = 0; items.length === 0 || JSON.stringify({ items }).length < 900; i++) items.push({ id: i, name: `item-${i}`, price: 10 + i });
let text = JSON.stringify({ items });
text = `${text.slice(0, -1)},"pad":"${'x'.repeat(Math.max(0, 1024 - text.length - 9))}"}`;
const body = Buffer.from(text);
let tokens = 0;
if (body.length !== 1024) throw new Error(`body is ${body.length} bytes, not 1024`);

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  // Drain any request body before answering, as a real service would.
  req.resume();
  req.on('end', () => {
    if (req.method === 'POST' && req.url === '/oauth/token') {
      tokens++;
      const granted = JSON.stringify({ access_token: `bench-token-${tokens}`, token_type: 'Bearer', expires_in: 3600 });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(granted) });
      res.end(granted);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
});
server.listen(port, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
process.on('SIGTERM', () => process.exit(0));
