// `node bench/rest-tool.mjs` (or `npm run bench -- --rest-tool`): a REST operation called as a tool
// of a virtual MCP server (#53) against the same REST call through the proxy, on one gateway.
// - REST: GET /bench/items/7?fields=all with the profile's token;
// - tool: a 2026-07-28 stateless `tools/call` of `get_item` on /mcp/v/bench, whose call runs that
//   same REST request through the REST pipeline as the caller's profile (policy, workflow, log),
//   plus the virtual server's own step (its per-tool limit); one request-log row, whose result
//   tokens are counted on the token-count thread (this process's CPU counts it: see cpuUs).
// Interleaved rounds, closed loop (wrk, else autocannon). Target (issue #53): tool >= 0.8x REST req/s.
// The gateway runs in this process (as admin-burst.mjs): the ratio is what to read, not absolute figures.
// Then the tokens search mode saves on 200 REST tools of an imported description (GitHub's).
// Env: BENCH_ROUNDS (3), BENCH_SECONDS (5), BENCH_CONNECTIONS (20), BENCH_QUICK=1 (1 round x 3 s).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

/**
 * The tokens search mode saves on a 200-tool server whose tools come from an imported description:
 * 200 issues/pulls/repos operations of GitHub's own (@octokit/openapi) as REST tools, the listing's
 * o200k_base tokens in full and in search mode (the counts `GET /virtual-mcps/{id}/context` gives).
 */
async function searchModeTokens(run) {
  const document = readFileSync(new URL('../node_modules/@octokit/openapi/generated/api.github.com.json', import.meta.url), 'utf8');
  const col = await run('collections.create', { slug: 'github', name: 'GitHub', published: true });
  await run('proxies.import-openapi', { collectionId: col.id, document, basePath: '/github', upstreams: [`http://${HOST}:9`] });
  const ids = Object.values(JSON.parse(document).paths).flatMap((item) => Object.values(item).flatMap((op) => (op?.operationId ? [op.operationId] : [])));
  const of = (prefix) => ids.filter((id) => id.startsWith(prefix) && id.length <= 64).sort();
  const operations = [...of('issues/'), ...of('pulls/'), ...of('repos/')].slice(0, 200);
  const server = await run('virtual-mcps.create', {
    slug: 'github-agent',
    name: 'GitHub agent',
    upstreamIds: [],
    restTools: operations.map((op) => ({ operation: `github:${op}`, name: op.replace('/', '_') })),
    contextBudget: 5_000,
    published: true,
  });
  const view = await run('virtual-mcps.context', { id: server.id });
  console.log(
    `\nSearch mode on ${view.tools.length} REST tools of GitHub's imported description: the full listing ${view.listingTokens.toLocaleString('en-US')} ${view.tokenizer} tokens, search mode ${view.searchModeListingTokens} — ${(view.listingTokens - view.searchModeListingTokens).toLocaleString('en-US')} tokens saved per listing (${(view.listingTokens / view.searchModeListingTokens).toFixed(0)}× fewer).`,
  );
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
    const mcpCall = (name, args) =>
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: {
          name,
          arguments: args,
          _meta: {
            'io.modelcontextprotocol/protocolVersion': '2026-07-28',
            'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1' },
            'io.modelcontextprotocol/clientCapabilities': {},
          },
        },
      });
    const mcpHeaders = (token, name) => ({
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': name,
    });
    const catalogUrl = `${gh.urls.proxy}/mcp`;
    // The shapes measured, REST first (the ratios are against it).
    const shapes = [
      { label: 'REST GET through the proxy', url: restUrl, opts: { headers: restHeaders } },
      {
        label: 'floor: /mcp list_collections (in-process tool)',
        url: catalogUrl,
        opts: { method: 'POST', body: mcpCall('list_collections', {}), headers: mcpHeaders(restToken, 'list_collections') },
      },
      {
        label: 'the same call as /mcp execute_call',
        url: catalogUrl,
        opts: {
          method: 'POST',
          body: mcpCall('execute_call', { endpoint: 'GET /bench/items/{id}', params: { path: { id: 7 }, query: { fields: 'all' } } }),
          headers: mcpHeaders(restToken, 'execute_call'),
        },
      },
      {
        label: 'the same call as a REST tool',
        url: toolUrl,
        opts: { method: 'POST', body: mcpCall('get_item', { path: { id: 7 }, query: { fields: 'all' } }), headers: mcpHeaders(toolToken, 'get_item') },
        target: '>= 0.8x',
      },
    ];
    // Sanity: every shape answers before it is measured.
    const direct = await fetch(restUrl, { headers: restHeaders });
    if (direct.status !== 200) throw new Error(`REST call failed: ${direct.status} ${await direct.text()}`);
    for (const shape of shapes.slice(1)) {
      const res = await fetch(shape.url, shape.opts);
      const text = await res.text();
      if (res.status !== 200 || text.includes('"isError":true')) throw new Error(`${shape.label} failed: ${res.status} ${text.slice(0, 500)}`);
    }
    if (!(await (await fetch(toolUrl, shapes[3].opts)).text()).includes('structuredContent')) throw new Error('the REST tool answered no structuredContent');

    for (const shape of shapes) await load(shape.url, { seconds: 2, connections: CONNECTIONS, ...shape.opts });
    // The gateway runs in this process and the load generator in another: this process's CPU time over
    // a run, divided by the requests answered, is the gateway's CPU per call (noise-resistant on a shared machine).
    const runs = shapes.map(() => []);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, shape] of shapes.entries()) {
        const before = process.cpuUsage();
        const r = await load(shape.url, { seconds: SECONDS, connections: CONNECTIONS, ...shape.opts });
        const used = process.cpuUsage(before);
        runs[i].push({ ...r, cpuUs: r.requests > 0 ? (used.user + used.system) / r.requests : Number.NaN });
      }
    }
    const med = (rs, k) => median(rs.map((r) => r[k]));
    const restRps = med(runs[0], 'rps');
    const restCpu = med(runs[0], 'cpuUs');
    const floorCpu = med(runs[1], 'cpuUs');
    console.log(`\nREST tool vs REST — ${ROUNDS} interleaved round(s) x ${SECONDS}s, ${CONNECTIONS} connections, medians; Node ${process.version}`);
    printTable(
      ['', 'req/s', 'p50', 'p99', 'CPU µs/call', 'vs REST (req/s)', 'vs REST (CPU)', 'target'],
      shapes.map((shape, i) => [
        shape.label,
        fmt.rps(med(runs[i], 'rps')),
        fmt.ms(med(runs[i], 'p50')),
        fmt.ms(med(runs[i], 'p99')),
        med(runs[i], 'cpuUs').toFixed(0),
        `${ratio(med(runs[i], 'rps'), restRps).toFixed(2)}x`,
        `${ratio(restCpu, med(runs[i], 'cpuUs')).toFixed(2)}x`,
        shape.target ?? '',
      ]),
    );
    const toolCpu = med(runs[3], 'cpuUs');
    console.log(
      `\nThe MCP floor (a trivial in-process tool) costs ${floorCpu.toFixed(0)} µs a call; REST ${restCpu.toFixed(0)} µs; the REST tool ${toolCpu.toFixed(0)} µs ≈ REST + ${(toolCpu - restCpu).toFixed(0)} µs of MCP and tool work.`,
    );
    const bad = runs.flat().reduce((a, r) => a + r.non2xx + r.errors, 0);
    if (bad > 0) console.log(`\nWARNING: ${bad} non-2xx responses or errors during the runs`);
    await searchModeTokens(run);
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
