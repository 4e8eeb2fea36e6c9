// `node bench/rest-tool.mjs` (or `npm run bench -- --rest-tool`): a REST operation called as a tool
// of a virtual MCP server (#53) against the same REST call through the proxy, on one gateway.
// - REST: GET /bench/items/7?fields=all with the profile's token;
// - tool: a 2026-07-28 stateless `tools/call` of `get_item` on /mcp/v/bench, whose call runs that
//   same REST request through the REST pipeline as the caller's profile (policy, workflow, log),
//   plus the virtual server's own step (its per-tool limit, its request-log row).
// Interleaved rounds, closed loop (wrk, else autocannon). Target (issue #53): tool >= 0.8x REST req/s.
// The gateway runs in this process (as admin-burst.mjs): the ratio is what to read, not absolute figures.
// Env: BENCH_ROUNDS (3), BENCH_SECONDS (5), BENCH_CONNECTIONS (20), BENCH_QUICK=1 (1 round x 3 s).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGatehouse } from '../dist/node/index.js';
import { fmt, freePort, HOST, load, median, printTable, ratio, startNode } from './lib.mjs';

const env = process.env;
const QUICK = env.BENCH_QUICK === '1';
const ROUNDS = Number(env.BENCH_ROUNDS ?? (QUICK ? 1 : 3));
const SECONDS = Number(env.BENCH_SECONDS ?? (QUICK ? 3 : 5));
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 20);
const LOCAL = {
  principal: { subject: 'system:gatehouse', name: 'gatehouse', kind: 'service', groups: [] },
  channel: 'cli',
  requestId: 'bench',
  localAdmin: true,
};

const DOCUMENT = {
  openapi: '3.1.0',
  info: { title: 'Bench items', version: '1' },
  paths: {
    '/items/{id}': {
      get: {
        operationId: 'getItem',
        summary: 'Get an item',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } },
          { name: 'fields', in: 'query', schema: { type: 'string' } },
        ],
        responses: { 200: { description: 'The item', content: { 'application/json': { schema: { type: 'object' } } } } },
      },
    },
  },
};

async function clientCredentials(issuer, clientId, clientSecret, resource) {
  const { token_endpoint } = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
  const res = await fetch(token_endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource }).toString(),
  });
  const body = await res.json();
  if (typeof body.access_token !== 'string') throw new Error(`client credentials failed: ${JSON.stringify(body)}`);
  return body.access_token;
}

export async function restToolBench() {
  const work = mkdtempSync(join(tmpdir(), 'gatehouse-bench-rest-tool-'));
  const upstreamPort = await freePort();
  const upstream = await startNode('upstream', 'upstream.mjs', [upstreamPort]);
  let gh;
  try {
    gh = await startGatehouse({ port: 0, dataDir: join(work, 'data'), logLevel: 'warn', mcpAllowPrivateUpstreams: true });
    const run = (op, input) => gh.executor.execute(op, input, LOCAL);
    const col = await run('collections.create', { slug: 'bench', name: 'Bench', published: true });
    await run('proxies.import-openapi', { collectionId: col.id, document: DOCUMENT, basePath: '/bench', upstreams: [`http://${HOST}:${upstreamPort}`] });
    const sa = await run('service-accounts.create', { name: 'bench-agent', role: 'viewer', scope: {} });
    const policy = await run('policies.create', { name: 'bench', rateLimits: [{ window: 'minute', limit: 100_000_000 }] });
    const client = await run('clients.create', { name: 'Bench client', collectionIds: [col.id], policyId: policy.id });
    // The service account acts as this profile on REST tool calls; its REST credential is the direct calls'.
    const profile = await run('profiles.create', { clientId: client.id, name: 'default', authType: 'token', signInUsers: [sa.serviceAccount.clientId] });
    const { token: restToken } = await run('credentials.issue', { profileId: profile.id });
    await run('virtual-mcps.create', {
      slug: 'bench',
      name: 'Bench',
      upstreamIds: [],
      restTools: [{ operation: 'getItem', name: 'get_item' }],
      published: true,
    });

    const toolUrl = `${gh.urls.proxy}/mcp/v/bench`;
    const toolToken = await clientCredentials(gh.urls.issuer, sa.serviceAccount.clientId, sa.clientSecret, toolUrl);
    const restUrl = `${gh.urls.proxy}/bench/items/7?fields=all`;
    const restHeaders = { authorization: `Bearer ${restToken}` };
    const toolBody = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: {
        name: 'get_item',
        arguments: { path: { id: 7 }, query: { fields: 'all' } },
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1' },
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    });
    const toolHeaders = {
      authorization: `Bearer ${toolToken}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': 'get_item',
    };
    // Sanity: both shapes answer the item before they are measured.
    const direct = await fetch(restUrl, { headers: restHeaders });
    if (direct.status !== 200) throw new Error(`REST call failed: ${direct.status} ${await direct.text()}`);
    const viaTool = await fetch(toolUrl, { method: 'POST', headers: toolHeaders, body: toolBody });
    const toolText = await viaTool.text();
    if (viaTool.status !== 200 || toolText.includes('"isError":true') || !toolText.includes('structuredContent'))
      throw new Error(`tool call failed: ${viaTool.status} ${toolText.slice(0, 500)}`);

    const warm = { seconds: 2, connections: CONNECTIONS };
    await load(restUrl, { ...warm, headers: restHeaders });
    await load(toolUrl, { ...warm, method: 'POST', body: toolBody, headers: toolHeaders });
    const rest = [];
    const tool = [];
    for (let round = 0; round < ROUNDS; round++) {
      const opts = { seconds: SECONDS, connections: CONNECTIONS };
      rest.push(await load(restUrl, { ...opts, headers: restHeaders }));
      tool.push(await load(toolUrl, { ...opts, method: 'POST', body: toolBody, headers: toolHeaders }));
    }
    const med = (runs, k) => median(runs.map((r) => r[k]));
    const restRps = med(rest, 'rps');
    const toolRps = med(tool, 'rps');
    console.log(`\nREST tool vs REST — ${ROUNDS} interleaved round(s) x ${SECONDS}s, ${CONNECTIONS} connections, medians; Node ${process.version}`);
    printTable(
      ['', 'req/s', 'p50', 'p99', 'vs REST', 'target'],
      [
        ['REST GET through the proxy', fmt.rps(restRps), fmt.ms(med(rest, 'p50')), fmt.ms(med(rest, 'p99')), '1.00x', ''],
        [
          'the same call as a REST tool',
          fmt.rps(toolRps),
          fmt.ms(med(tool, 'p50')),
          fmt.ms(med(tool, 'p99')),
          `${ratio(toolRps, restRps).toFixed(2)}x`,
          '>= 0.8x',
        ],
      ],
    );
    const bad = [...rest, ...tool].reduce((a, r) => a + r.non2xx + r.errors, 0);
    if (bad > 0) console.log(`\nWARNING: ${bad} non-2xx responses or errors during the runs`);
  } finally {
    await gh?.close();
    await upstream.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  restToolBench().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
