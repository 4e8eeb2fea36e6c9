// `node bench/federation.mjs`: MCP federation — tools/call of the reference server's `echo`
// (`@modelcontextprotocol/server-everything`, Streamable HTTP, stateful, event-stream answers with
// priming events) through a virtual MCP server (`/mcp/v/bench`) vs the same call to it directly.
// - added latency: sequential calls on one keep-alive connection (p50/p99 of each, the p50 difference);
// - throughput: closed loop, 50 connections (autocannon or wrk), interleaved rounds;
// - tools/list of a virtual server with 500 curated tools (bench/federation-upstream.mjs): sequential p50.
// Targets (issue 35): added p50 <= 1 ms, throughput >= 0.85x direct; tools/list (500 tools) p50 < 5 ms.
// - CPU per call: the gateway's, the upstream's and a bare reverse proxy's (the floor) CPU time (from /proc, user + system) over the
//   sequential calls, divided by their number: what bounds throughput, and steady when the machine is loaded.
// Env: BENCH_ROUNDS (3), BENCH_SECONDS (5), BENCH_CONNECTIONS (50), BENCH_SEQUENTIAL (2000), BENCH_QUICK=1,
// BENCH_CPU_ONLY=1 (sequential calls and CPU per call only, no closed loop), BENCH_CPU_PROF=dir (the gateway runs with --cpu-prof there).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  clientCredentialsToken,
  fmt,
  freePort,
  HOST,
  killAll,
  load,
  median,
  printTable,
  ratio,
  ROOT,
  startGatehouseAt,
  startNode,
  startProcess,
} from './lib.mjs';

const env = process.env;
const QUICK = env.BENCH_QUICK === '1';
const ROUNDS = Number(env.BENCH_ROUNDS ?? (QUICK ? 1 : 3));
const SECONDS = Number(env.BENCH_SECONDS ?? (QUICK ? 3 : 5));
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 50);
const SEQUENTIAL = Number(env.BENCH_SEQUENTIAL ?? (QUICK ? 500 : 2_000));
const CPU_ONLY = env.BENCH_CPU_ONLY === '1';
const CPU_PROF = env.BENCH_CPU_PROF;
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
const EVERYTHING = join(ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');

let everythingProc;

/** Starts server-everything's own CLI in Streamable HTTP mode on `port`; its per-request logging goes to a pipe that is drained. */
async function startEverything(port) {
  everythingProc = startProcess('everything', process.execPath, [EVERYTHING, 'streamableHttp'], { env: { ...process.env, PORT: String(port) } });
  await new Promise((resolve, reject) => {
    const onData = (d) => {
      if (String(d).includes('listening on port')) resolve();
    };
    everythingProc.child.stdout.on('data', onData);
    everythingProc.child.stderr.on('data', onData);
    everythingProc.child.once('exit', (code) => reject(new Error(`server-everything exited (${code}): ${everythingProc.output()}`)));
  });
  return `http://${HOST}:${port}/mcp`;
}

/** A process's CPU time so far, user and system, in microseconds, from /proc (Linux); null elsewhere. */
function cpuMicros(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 a second on Linux).
    return { user: Number(fields[11]) * 10_000, system: Number(fields[12]) * 10_000 };
  } catch {
    return null;
  }
}

/** Opens a session at a stateful upstream as any client does: the headers that continue it. */
async function openSession(url, headers) {
  const init = {
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
  };
  const r = await post(url, headers, JSON.stringify(init));
  if (r.status !== 200 || !r.session) throw new Error(`initialize: ${r.status} ${r.text.slice(0, 300)}`);
  const session = { ...headers, 'mcp-session-id': r.session };
  await post(url, session, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
  return session;
}

function ensureBuilt() {
  if (existsSync(MAIN) && env.BENCH_NO_BUILD === '1') return;
  const r = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
}

/** Seeds the data directory through the management executor: two upstreams, two virtual servers, a service account. */
async function seed(dataDir, everythingUrl, upstreamBase) {
  const { openLocalPlane } = await import('../dist/node/local.js');
  const plane = await openLocalPlane({ dataDir, logLevel: 'warn' });
  try {
    const run = (op, input) => plane.executor.execute(op, input, plane.call);
    // Both upstreams listen on loopback: allowed per server, as an admin would.
    const small = await run('mcp-servers.create', { name: 'everything', url: everythingUrl, allowPrivateNetwork: true });
    const big = await run('mcp-servers.create', { name: 'big', url: `${upstreamBase}/big`, allowPrivateNetwork: true });
    await run('virtual-mcps.create', {
      slug: 'bench',
      name: 'Bench',
      upstreamIds: [small.id],
      tools: [{ upstreamId: small.id, name: 'echo' }],
      published: true,
    });
    const curated = Array.from({ length: 500 }, (_, i) => ({ upstreamId: big.id, name: `tool_${i}` }));
    await run('virtual-mcps.create', { slug: 'bench-500', name: 'Bench 500', upstreamIds: [big.id], tools: curated, published: true });
    const sa = await run('service-accounts.create', { name: 'bench-agent', role: 'viewer' });
    return { clientId: sa.serviceAccount.clientId, clientSecret: sa.clientSecret };
  } finally {
    await plane.close();
  }
}

/** A client-credentials token for `resource`, from the authorization server the resource's metadata names. */
async function tokenFor(base, slug, sa) {
  const meta = await (await fetch(`${base}/.well-known/oauth-protected-resource/mcp/v/${slug}`)).json();
  const issuer = meta.authorization_servers[0];
  const { token_endpoint } = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
  return clientCredentialsToken(token_endpoint, sa, meta.resource);
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** One POST on the shared keep-alive connection: status, body and elapsed milliseconds. */
function post(url, headers, body) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const parts = [];
      res.on('data', (c) => parts.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode, text: Buffer.concat(parts).toString(), ms: performance.now() - started, session: res.headers['mcp-session-id'] }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** p50 and p99 of `n` sequential requests after a warm-up. */
async function sequential(url, headers, body, n) {
  for (let i = 0; i < Math.min(200, n); i++) await post(url, headers, body);
  const times = [];
  for (let i = 0; i < n; i++) {
    const r = await post(url, headers, body);
    if (r.status !== 200) throw new Error(`${url}: ${r.status} ${r.text.slice(0, 300)}`);
    times.push(r.ms);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(n * 0.5)], p99: times[Math.floor(n * 0.99)] };
}

async function main() {
  ensureBuilt();
  const work = mkdtempSync(join(tmpdir(), 'gatehouse-bench-federation-'));
  try {
    const upstreamPort = await freePort();
    const gwPort = await freePort();
    await startNode('upstream', 'federation-upstream.mjs', [upstreamPort]);
    const upstreamBase = `http://${HOST}:${upstreamPort}`;
    const everythingUrl = await startEverything(await freePort());
    const dataDir = join(work, 'data');
    const sa = await seed(dataDir, everythingUrl, upstreamBase);
    // The floor for comparison: a featureless reverse proxy (node:http + undici) in front of the same upstream.
    const barePort = await freePort();
    const bare = await startNode('bare-proxy', 'bare-proxy.mjs', [barePort, new URL(everythingUrl).origin]);
    const gateway = await startGatehouseAt('gatehouse', MAIN, dataDir, gwPort, CPU_PROF ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] } : {});
    const base = `http://${HOST}:${gwPort}`;
    const token = await tokenFor(base, 'bench', sa);
    const token500 = await tokenFor(base, 'bench-500', sa);

    const mcpHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' };
    const callBody = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { message: 'hello' } } });
    const listBody = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const targets = {
      // The upstream is stateful: a direct client opens its session first, as the gateway does upstream.
      direct: { url: everythingUrl, headers: await openSession(everythingUrl, mcpHeaders) },
      virtual: { url: `${base}/mcp/v/bench`, headers: { ...mcpHeaders, authorization: `Bearer ${token}` } },
    };
    targets.bare = { url: `http://${HOST}:${barePort}/mcp`, headers: targets.direct.headers };
    for (const [name, t] of Object.entries(targets)) {
      const r = await post(t.url, t.headers, callBody);
      if (r.status !== 200 || !r.text.includes('hello')) throw new Error(`${name} answered ${r.status}: ${r.text.slice(0, 300)}`);
    }

    const seq = { direct: [], virtual: [] };
    const rps = { direct: [], virtual: [], bare: [] };
    const cpu = { direct: [], virtual: [] };
    const seqBare = [];
    const cpuBare = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? ['direct', 'virtual'] : ['virtual', 'direct'];
      for (const name of order) {
        const before = [cpuMicros(gateway.pid), cpuMicros(everythingProc.pid)];
        seq[name].push(await sequential(targets[name].url, targets[name].headers, callBody, SEQUENTIAL));
        const after = [cpuMicros(gateway.pid), cpuMicros(everythingProc.pid)];
        // The warm-up calls (up to 200) count too.
        const calls = SEQUENTIAL + Math.min(200, SEQUENTIAL);
        const used = (i, kind) => (after[i][kind] - before[i][kind]) / calls;
        if (before[0] !== null && before[1] !== null) {
          cpu[name].push({
            gateway: used(0, 'user') + used(0, 'system'),
            gatewaySystem: used(0, 'system'),
            upstream: used(1, 'user') + used(1, 'system'),
          });
        }
      }
      {
        const before = cpuMicros(bare.pid);
        seqBare.push(await sequential(targets.bare.url, targets.bare.headers, callBody, SEQUENTIAL));
        const after = cpuMicros(bare.pid);
        if (before !== null) cpuBare.push((after.user + after.system - before.user - before.system) / (SEQUENTIAL + Math.min(200, SEQUENTIAL)));
      }
      if (CPU_ONLY) continue;
      for (const name of [...order, 'bare']) {
        const r = await load(targets[name].url, { seconds: SECONDS, connections: CONNECTIONS, method: 'POST', headers: targets[name].headers, body: callBody });
        if (r.errors || r.non2xx) console.log(`  ${name}: ${r.errors} errors, ${r.non2xx} non-2xx`);
        rps[name].push(r.rps);
      }
    }
    const p50 = (name) => median(seq[name].map((s) => s.p50));
    const p99 = (name) => median(seq[name].map((s) => s.p99));
    const list = await sequential(`${base}/mcp/v/bench-500`, { ...mcpHeaders, authorization: `Bearer ${token500}` }, listBody, Math.min(SEQUENTIAL, 500));
    const listed = await post(`${base}/mcp/v/bench-500`, { ...mcpHeaders, authorization: `Bearer ${token500}` }, listBody);
    const count = (listed.text.match(/"name":"tool_/g) ?? []).length;

    console.log(
      `\nMCP federation, ${ROUNDS} round(s), sequential ${SEQUENTIAL} calls, closed loop ${SECONDS} s × ${CONNECTIONS} connections (medians over rounds)\n`,
    );
    printTable(
      ['target', 'seq p50 ms', 'seq p99 ms', 'req/s (closed loop)', '×direct'],
      ['direct', 'virtual', 'bare'].map((n) => [
        { direct: 'server-everything directly', virtual: 'through /mcp/v/bench', bare: 'through a bare reverse proxy (floor)' }[n],
        fmt.ms(n === 'bare' ? median(seqBare.map((x) => x.p50)) : p50(n)),
        fmt.ms(n === 'bare' ? median(seqBare.map((x) => x.p99)) : p99(n)),
        fmt.rps(median(rps[n])),
        fmt.x(ratio(median(rps[n]), median(rps.direct))),
      ]),
    );
    console.log(
      `\nadded p50: ${(p50('virtual') - p50('direct')).toFixed(2)} ms (target <= 1 ms); throughput ${fmt.x(ratio(median(rps.virtual), median(rps.direct)))} of direct (target >= 0.85)`,
    );
    if (cpu.virtual.length > 0) {
      const per = (name, side) => median(cpu[name].map((c) => c[side])).toFixed(0);
      console.log(
        `CPU per call (sequential, /proc): gateway ${per('virtual', 'gateway')} µs (of which system ${per('virtual', 'gatewaySystem')} µs); upstream ${per('virtual', 'upstream')} µs through the gateway, ${per('direct', 'upstream')} µs directly`,
      );
      console.log(
        `the floor, a bare reverse proxy (bench/bare-proxy.mjs) before the same upstream: ${median(cpuBare).toFixed(0)} µs CPU per call, added p50 ${(median(seqBare.map((x) => x.p50)) - p50('direct')).toFixed(2)} ms`,
      );
    }
    console.log(`tools/list of a virtual server with ${count} curated tools: p50 ${fmt.ms(list.p50)} ms, p99 ${fmt.ms(list.p99)} ms (target p50 < 5 ms)`);
  } finally {
    agent.destroy();
    killAll();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  killAll();
  process.exit(1);
});
