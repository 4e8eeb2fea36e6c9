// CPU per call of the guardrail response nodes, in one process (a shared machine makes req/s
// noisy; process.cpuUsage of one thread is steadier). The bench's 4 KiB catalogue body runs
// through the compiled response nodes of three workflows — a body-buffering node that changes
// nothing, detect_pii (redact) alone, prompt_guard (flag) alone, and both — on a fresh exchange
// each call, as the gateway runs them. Rounds interleave the cases (rotated order); medians.
// With two dist directories (`node bench/guardrails-profile.mjs OLD_DIST NEW_DIST`) both builds run
// interleaved in the same process: before/after on the same machine state.
// Usage: npx tsc -p tsconfig.build.json && node bench/guardrails-profile.mjs [dist…]   (PROFILE_CALLS, PROFILE_ROUNDS)
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const CALLS = Number(process.env.PROFILE_CALLS ?? 4_000);
const ROUNDS = Number(process.env.PROFILE_ROUNDS ?? 7);
const dists = process.argv.length > 2 ? process.argv.slice(2) : [resolve(import.meta.dirname, '..', 'dist')];

// The bench's upstream body (bench/guardrails.mjs).
const words = 'durable oak desk with two drawers ships flat packed assembly takes twenty minutes finish is matte lacquer'.split(' ');
const items = [];
for (let i = 0; JSON.stringify({ items }).length < 3900; i++)
  items.push({
    id: i,
    sku: `SKU-${1000 + i}`,
    name: `${words[i % words.length]} ${words[(i * 7) % words.length]}`,
    text: words.slice(i % 5, (i % 5) + 9).join(' '),
  });
const body = Buffer.from(JSON.stringify({ items }));

const WORKFLOWS = {
  buffered: [{ type: 'redact_response_fields', id: 'noop', paths: ['$.absent'] }],
  pii: [{ type: 'detect_pii', id: 'pii', types: ['email', 'phone', 'card', 'iban', 'ip', 'secret'] }],
  guard: [{ type: 'prompt_guard', id: 'guard', action: 'flag' }],
  both: [
    { type: 'detect_pii', id: 'pii', types: ['email', 'phone', 'card', 'iban', 'ip', 'secret'] },
    { type: 'prompt_guard', id: 'guard', action: 'flag' },
  ],
};

const ctx = {
  requestId: 'r',
  startedAt: 0,
  method: 'GET',
  path: '/guarded/items',
  rest: '/items',
  query: '',
  headers: {},
  credentialHeader: null,
  endpoint: null,
  caller: null,
  claims: null,
  ip: null,
  limit: null,
};

async function load(dist) {
  const url = (p) => pathToFileURL(resolve(dist, p)).href;
  const { WorkflowInput } = await import(url('core/index.js'));
  const { compileWorkflow } = await import(url('gateway/workflows/compile.js'));
  const { Exchange } = await import(url('gateway/workflows/exchange.js'));
  const { runNodes } = await import(url('gateway/workflows/run.js'));
  const services = {
    limiter: null,
    cache: null,
    upstreams: null,
    connectMs: 1000,
    tlsFor: () => null,
    backendCredential: null,
    contract: () => undefined,
  };
  const cases = {};
  for (const [name, response] of Object.entries(WORKFLOWS)) {
    const def = WorkflowInput.parse({ name, response, bodyLimitBytes: 65_536 });
    const wf = compileWorkflow(def, { id: `wf_${name}`, version: 1 }, services);
    if ('problems' in wf) throw new Error(`${name}: ${JSON.stringify(wf.problems)}`);
    cases[name] = () => {
      const x = new Exchange(ctx);
      x.phase = 'response';
      x.setResponse({ status: 200, headers: { 'content-type': 'application/json' }, body });
      const out = runNodes(wf.response, x);
      if (out instanceof Promise) throw new Error(`${name}: the nodes did not finish synchronously`);
      if (x.response.body.length !== body.length) throw new Error(`${name}: the body changed`);
    };
  }
  return cases;
}

function cpuUsPerCall(run) {
  const before = process.cpuUsage();
  for (let i = 0; i < CALLS; i++) run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / CALLS;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const builds = [];
for (const dist of dists) builds.push({ dist, cases: await load(dist) });
const runs = builds.flatMap((b, bi) => Object.entries(b.cases).map(([name, run]) => ({ label: `${bi}:${name}`, build: bi, name, run, samples: [] })));
for (const r of runs) cpuUsPerCall(r.run); // JIT warm-up
for (let round = 0; round < ROUNDS; round++) {
  for (let i = 0; i < runs.length; i++) {
    const r = runs[(i + round) % runs.length];
    r.samples.push(cpuUsPerCall(r.run));
  }
}
console.log(`${body.length}-byte body, ${CALLS} calls × ${ROUNDS} rounds per case; CPU µs per call (median)`);
for (const [bi, b] of builds.entries()) {
  const of = (name) => median(runs.find((r) => r.build === bi && r.name === name).samples);
  const buffered = of('buffered');
  console.log(`\n${b.dist}`);
  for (const name of Object.keys(WORKFLOWS)) {
    const us = of(name);
    console.log(`  ${name.padEnd(9)} ${us.toFixed(1).padStart(7)} µs${name === 'buffered' ? '' : `   (+${(us - buffered).toFixed(1)} over buffering)`}`);
  }
}
