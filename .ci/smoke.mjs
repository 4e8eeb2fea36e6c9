// Smoke test of a built Gatehouse: `node .ci/smoke.mjs <app dir>` starts `<app dir>/dist/cli/main.js
// serve --demo` on a fresh data directory with the Node that runs this script, then makes one proxied
// REST call and one MCP call (Gateway MCP `execute_call`, which goes through the same pipeline to
// the demo upstream), and stops it. Exits non-zero, with the server's output, on any failure.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const app = resolve(process.argv[2] ?? '.');
const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-smoke-data-'));
const env = { PATH: process.env.PATH, HOME: process.env.HOME, GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_LOG_LEVEL: 'warn' };
const child = spawn(process.execPath, [join(app, 'dist/cli/main.js'), 'serve', '--json', '--port', '0', '--demo'], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
let out = '';
let err = '';
child.stdout.on('data', (d) => (out += d));
child.stderr.on('data', (d) => (err += d));
const exited = new Promise((r) => child.once('exit', r));

function fail(message) {
  console.error(`smoke on Node ${process.version}: ${message}\n--- server stderr ---\n${err}`);
  child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(1);
}

async function started(timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      return JSON.parse(out);
    } catch {
      if (child.exitCode !== null) fail(`serve exited with ${child.exitCode}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  fail(`serve printed no summary within ${timeoutMs} ms`);
}

const summary = await started(60_000);
const [, token, url] = /^curl -H 'Authorization: Bearer (\S+)' (\S+)$/.exec(summary.demo.curl) ?? fail(`unexpected curl line: ${summary.demo.curl}`);
const auth = { authorization: `Bearer ${token}` };

const rest = await fetch(url, { headers: auth });
const orders = await rest.json();
if (rest.status !== 200 || !Array.isArray(orders) || orders.length === 0) fail(`proxied call: ${rest.status} ${JSON.stringify(orders)}`);

const endpoint = `GET ${new URL(url).pathname}`;
const mcp = await fetch(new URL('/mcp', summary.urls.proxy), {
  method: 'POST',
  headers: { ...auth, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
  body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'execute_call', arguments: { endpoint } } }),
});
const text = await mcp.text();
const answer = JSON.parse(text.startsWith('event:') ? text.slice(text.indexOf('data: ') + 6) : text);
const upstream = answer.result?.structuredContent;
if (mcp.status !== 200 || answer.result?.isError === true || upstream?.status !== 200 || !Array.isArray(upstream.body)) fail(`MCP call: ${mcp.status} ${text.slice(0, 500)}`);

child.kill('SIGTERM');
await exited;
rmSync(dataDir, { recursive: true, force: true });
console.log(`smoke on Node ${process.version}: serve --demo started; proxied GET ${rest.status} (${orders.length} orders); MCP execute_call ${endpoint}: ${upstream.status} (${upstream.body.length} orders)`);
