// Memory after large failed OpenAPI imports (issue 38): the RSS of a gateway (this process, from
// dist/: run `npm run build` first) before, right after, and 2, 5 and 15 s after three failed
// 30 MB uploads — a Swagger 2.0 document refused after conversion, the same body truncated, and
// an upload the client abandons half way. Nothing in the gateway keeps such a document once its
// request is over; what this shows is whether the garbage it leaves is given back while the node
// sits idle. IMPORT_MEMORY_DIST=/path/to/dist measures another build (before/after).
// Usage: node bench/import-memory.mjs
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT, sleep } from './lib.mjs';

const dist = resolve(process.env.IMPORT_MEMORY_DIST ?? join(ROOT, 'dist'));
const { startGatehouse } = await import(join(dist, 'node/index.js'));
const { SYSTEM_PRINCIPAL } = await import(join(dist, 'management/bootstrap.js'));
const OPERATIONS = Number(process.env.IMPORT_MEMORY_OPERATIONS ?? 4_500);

/** A Swagger 2.0 document of about 30 MB (4,500 operations, long descriptions). */
function swaggerDocument() {
  const paths = {};
  const definitions = {};
  for (let i = 0; i < OPERATIONS; i++) {
    definitions[`S${i}`] = {
      type: 'object',
      description: 'x'.repeat(2000),
      properties: { a: { type: 'string', description: 'y'.repeat(1000) }, b: { $ref: `#/definitions/S${(i + 1) % OPERATIONS}` } },
    };
    paths[`/items${i}/{id}`] = {
      get: { operationId: `op${i}`, parameters: [{ name: 'id', in: 'path', required: true, type: 'string' }], responses: { 200: { description: 'ok', schema: { $ref: `#/definitions/S${i}` } } } },
    };
  }
  return JSON.stringify({ swagger: '2.0', info: { title: 'Big', version: '1' }, host: '127.0.0.1:9', paths, definitions });
}

const mb = (n) => `${Math.round(n / 1_048_576)} MB`;
const rss = () => process.memoryUsage().rss;

const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-import-memory-'));
const gh = await startGatehouse({ port: 0, dataDir, logLevel: 'silent', adminPassword: 'import-memory-bench' });
try {
  const local = { principal: SYSTEM_PRINCIPAL, channel: 'cli', requestId: 'bench', localAdmin: true };
  const sa = await gh.executor.execute('service-accounts.create', { name: 'import-memory', role: 'admin', scope: {} }, local);
  const issued = await fetch(`${gh.urls.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${sa.serviceAccount.clientId}:${sa.clientSecret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource: gh.urls.adminApi }),
  });
  const token = (await issued.json()).access_token;
  const api = (path, body) =>
    fetch(`${gh.urls.adminApi}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body }).then(async (r) => ({
      status: r.status,
      body: await r.text(),
    }));
  const collection = JSON.parse((await api('/collections', JSON.stringify({ slug: 'big', name: 'Big' }))).body);
  const importPath = `/collections/${collection.id}/import-openapi`;
  await sleep(2_000);
  const rows = [['baseline', mb(rss())]];

  // Each body is built, sent and dropped here, so the bench holds none of it while measuring.
  const refused = await api(importPath, `{"document":${swaggerDocument()},"basePath":"/admin/big","upstreams":["http://127.0.0.1:9"]}`);
  const truncated = await api(importPath, ((b) => b.slice(0, b.length / 2))(`{"document":${swaggerDocument()},"basePath":"/big","upstreams":["http://127.0.0.1:9"]}`));
  await new Promise((done) => {
    const body = `{"document":${swaggerDocument()},"basePath":"/big3","upstreams":["http://127.0.0.1:9"]}`;
    const socket = connect(Number(new URL(gh.urls.adminApi).port), '127.0.0.1');
    socket.write(
      `POST /admin/api/v1${importPath} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    socket.write(body.slice(0, body.length / 2));
    setTimeout(() => {
      socket.destroy();
      done();
    }, 1_500);
  });
  rows.push([`after the imports (${refused.status}, ${truncated.status}, abandoned)`, mb(rss())]);
  let waited = 0;
  for (const at of [2, 5, 15]) {
    await sleep((at - waited) * 1_000);
    waited = at;
    rows.push([`${at} s later, idle`, mb(rss())]);
  }
  console.log(`RSS of a gateway (${dist}) around three failed ~30 MB imports:`);
  for (const [label, value] of rows) console.log(`  ${label.padEnd(44)} ${value}`);
} finally {
  await gh.close();
  rmSync(dataDir, { recursive: true, force: true });
}
