// The REST channel of `npm run bench -- --guardrails`: every corpus text sent in a JSON request body
// through a real gateway (dist/), whose workflow refuses a body holding PII or an injection, to a
// real upstream. A text counts as found when the gateway refused it (422) before the upstream saw it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocalPlane } from '../dist/node/local.js';
import { freePort, HOST, killAll, startGatehouseAt, startProcess, waitForHttp } from './lib.mjs';

const UPSTREAM = `
require('node:http').createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"ok":true}'); }); })
  .listen(Number(process.argv[1]), '127.0.0.1', () => console.log('listening'));
`;

async function seed(dataDir, upstreamUrl) {
  const plane = await openLocalPlane({ dataDir, logLevel: 'warn' });
  try {
    const run = (op, input) => plane.executor.execute(op, input, plane.call);
    const col = await run('collections.create', { slug: 'bench-corpora', name: 'Bench corpora', published: true });
    const add = async (name, basePath, request) => {
      const wf = await run('workflows.create', { name, request, bodyLimitBytes: 1_048_576 });
      const proxy = await run('proxies.create', { collectionId: col.id, name, basePath, upstreams: [upstreamUrl], workflowId: wf.id });
      await run('endpoints.create', { proxyId: proxy.id, method: 'POST', path: '/scan' });
    };
    await add('pii', '/pii', [{ type: 'detect_pii', id: 'pii', types: ['email', 'phone', 'card', 'iban', 'ip', 'secret'], action: 'block' }]);
    await add('injection', '/injection', [{ type: 'prompt_guard', id: 'guard', action: 'block' }]);
    const policy = await run('policies.create', { name: 'bench', rateLimits: [{ window: 'minute', limit: 100_000_000 }] });
    const client = await run('clients.create', { name: 'Bench client', collectionIds: [col.id], policyId: policy.id });
    const profile = await run('profiles.create', { clientId: client.id, name: 'default', authType: 'token' });
    return (await run('credentials.issue', { profileId: profile.id })).token;
  } finally {
    await plane.close();
  }
}

/** Measures the corpora through the REST request channel and prints them as the direct channel is printed. */
export async function restChannel(piiItems, injItems, { measurePii, measureInjection, print, TARGETS }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-corpora-'));
  try {
    const upPort = await freePort();
    const upstream = startProcess('upstream', process.execPath, ['-e', UPSTREAM, String(upPort)]);
    await waitForHttp(`http://${HOST}:${upPort}/`, upstream);
    const token = await seed(dataDir, `http://${HOST}:${upPort}`);
    const port = await freePort();
    await startGatehouseAt('gatehouse', join(import.meta.dirname, '..', 'dist', 'cli', 'main.js'), dataDir, port);
    const refused = async (path, text) => {
      const res = await fetch(`http://${HOST}:${port}${path}/scan`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ message: { text } }),
      });
      await res.arrayBuffer();
      if (res.status !== 200 && res.status !== 422) throw new Error(`${path}: ${res.status}`);
      return res.status === 422;
    };
    const piiVerdicts = new Map();
    for (const item of piiItems) piiVerdicts.set(item.text, await refused('/pii', item.text));
    // Blocking reports no redaction: a refused body counts as found in every category it was labelled with.
    const p = measurePii(piiItems, (text) => {
      const item = piiItems.find((i) => i.text === text);
      return piiVerdicts.get(text) ? { counts: { [item.category === 'ip' ? 'ipv4' : item.category]: 1 }, redacted: '' } : { counts: {}, redacted: text };
    });
    print(`PII and secrets, channel rest-request (${piiItems.length} items, block)`, p.t, TARGETS.pii);
    const injVerdicts = new Map();
    for (const item of injItems) injVerdicts.set(item.text, await refused('/injection', item.text));
    const i = measureInjection(injItems, (text) => injVerdicts.get(text));
    print(`prompt injection, channel rest-request (${injItems.length} items, block)`, i.t, TARGETS.injection);
  } finally {
    killAll();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
