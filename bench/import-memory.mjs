// Memory after large failed OpenAPI imports (issue 38): the RSS of a gateway (this process, from
// dist/: run `npm run build` first) before, right after, and 2, 5 and 15 s after three failed
// 30 MB uploads — a Swagger 2.0 document refused after conversion, the same body truncated, and
// an upload the client abandons half way. Nothing in the gateway keeps such a document once its
// request is over; what this shows is whether the garbage it leaves is given back while the node
// sits idle. The uploads are built and sent by a child process, so the RSS is the gateway's alone.
// IMPORT_MEMORY_DIST=/path/to/dist measures another build (before/after).
// Usage: node bench/import-memory.mjs
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clientCredentialsToken, ROOT, sleep } from './lib.mjs';

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
      get: {
        operationId: `op${i}`,
        parameters: [{ name: 'id', in: 'path', required: true, type: 'string' }],
        responses: { 200: { description: 'ok', schema: { $ref: `#/definitions/S${i}` } } },
      },
    };
  }
  return JSON.stringify({ swagger: '2.0', info: { title: 'Big', version: '1' }, host: '127.0.0.1:9', paths, definitions });
}

/** The child's part: the three uploads; prints their statuses. */
async function upload(url, token) {
  const post = (body) =>
    fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body }).then(async (r) => {
      await r.arrayBuffer();
      return r.status;
    });
  const body = (basePath) => `{"document":${swaggerDocument()},"basePath":"${basePath}","upstreams":["http://127.0.0.1:9"]}`;
  const refused = await post(body('/admin/big'));
  const whole = body('/big');
  const truncated = await post(whole.slice(0, whole.length / 2));
  const abandoned = body('/big3');
  await new Promise((done) => {
    const target = new URL(url);
    const socket = connect(Number(target.port), target.hostname);
    socket.write(
      `POST ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${abandoned.length}\r\n\r\n`,
    );
    socket.write(abandoned.slice(0, abandoned.length / 2));
    setTimeout(() => {
      socket.destroy();
      done();
    }, 1_500);
  });
  console.log(`${refused}, ${truncated}, abandoned`);
}

if (process.argv[2] === '--upload') {
  await upload(process.argv[3], process.argv[4]);
  process.exit(0);
}

const dist = resolve(process.env.IMPORT_MEMORY_DIST ?? join(ROOT, 'dist'));
const { startGatehouse } = await import(join(dist, 'node/index.js'));
const { SYSTEM_PRINCIPAL } = await import(join(dist, 'management/bootstrap.js'));
const mb = (n) => `${Math.round(n / 1_048_576)} MB`;
const rss = () => process.memoryUsage().rss;

const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-import-memory-'));
const gh = await startGatehouse({ port: 0, dataDir, logLevel: 'silent', adminPassword: 'import-memory-bench' });
try {
  const local = { principal: SYSTEM_PRINCIPAL, channel: 'cli', requestId: 'bench', localAdmin: true };
  const sa = await gh.executor.execute('service-accounts.create', { name: 'import-memory', role: 'admin', scope: {} }, local);
  const token = await clientCredentialsToken(
    `${gh.urls.issuer}/token`,
    { clientId: sa.serviceAccount.clientId, clientSecret: sa.clientSecret },
    gh.urls.adminApi,
  );
  const collection = await gh.executor.execute('collections.create', { slug: 'big', name: 'Big' }, local);
  await sleep(2_000);
  const rows = [['baseline', mb(rss())]];
  // The child runs while this process serves it: asynchronously, so the event loop stays free.
  const statuses = await new Promise((done, fail) => {
    const args = [fileURLToPath(import.meta.url), '--upload', `${gh.urls.adminApi}/collections/${collection.id}/import-openapi`, token];
    execFile(process.execPath, args, { maxBuffer: 1_048_576 }, (err, stdout) => (err ? fail(err) : done(stdout.trim())));
  });
  rows.push([`after the imports (${statuses})`, mb(rss())]);
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
