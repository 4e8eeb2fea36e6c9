// Two builds of prompt_guard side by side, for a change that must not move a verdict: every item of
// every injection corpus file in a corpora dir scored by both (score and hits compared), every
// definitions item's scan findings compared, then CPU per MiB of each 1 MiB cost body
// (guardrail-cost.mjs), the builds interleaved in this one warm process (median of the runs).
// Usage: npx tsc -p tsconfig.build.json && node bench/injection-compare.mjs CORPORA_DIR OLD_DIST NEW_DIST
// (CORPORA_DIR: a copy of bench/corpora without its blind files). Env: COMPARE_RUNS (7), COMPARE_COST=0 (verdicts only).
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { costBodies } from './guardrail-cost.mjs';

const RUNS = Number(process.env.COMPARE_RUNS ?? 7);
const MIB = 1_048_576;
const [corpora, ...dists] = process.argv.slice(2);
if (!corpora || dists.length !== 2) throw new Error('usage: node bench/injection-compare.mjs CORPORA_DIR OLD_DIST NEW_DIST');

async function load(dist) {
  const url = (p) => pathToFileURL(resolve(dist, p)).href;
  const guardrails = await import(url('gateway/guardrails/index.js'));
  const definitions = await import(url('gateway/federation/definition-guard.js'));
  const { PromptGuardNode } = await import(url('core/workflow/nodes/prompt-guard.js'));
  const defaults = PromptGuardNode.parse({ type: 'prompt_guard', id: 'compare' });
  const scorer = guardrails.createInjectionScorer({ allowHosts: defaults.allowHosts });
  return { guardrails, definitions, scorer };
}

function items(family) {
  const dir = join(corpora, family);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .flatMap((f) =>
      readFileSync(join(dir, f), 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => ({ file: f, ...JSON.parse(l) })),
    );
}

const builds = await Promise.all(dists.map(load));
const show = (v) => JSON.stringify(v);
let differences = 0;
const injection = items('injection');
for (const item of injection) {
  const [a, b] = builds.map((x) => show(x.guardrails.scoreValue(x.scorer, item.text)));
  if (a !== b) {
    differences++;
    console.log(`injection ${item.file} ${item.id}\n  old ${a}\n  new ${b}`);
  }
}
const definitions = items('definitions');
let scanned = 0;
for (const item of definitions) {
  const scan = (x) => {
    if (item.tool) return x.definitions.definitionFindings(item.tool);
    if (item.prompt) return x.definitions.promptFindings(item.prompt);
    if (item.resource) return x.definitions.resourceFindings(item.resource);
    return undefined;
  };
  const [a, b] = builds.map((x) => show(scan(x)));
  if (a === undefined) continue;
  scanned++;
  if (a !== b) {
    differences++;
    console.log(`definitions ${item.file} ${item.id}\n  old ${a}\n  new ${b}`);
  }
}
console.log(`${injection.length} injection items, ${scanned} definitions: ${differences} differences`);

if (process.env.COMPARE_COST !== '0') {
  const cpuMs = (fn) => {
    const start = process.cpuUsage();
    fn();
    const d = process.cpuUsage(start);
    return (d.user + d.system) / 1000;
  };
  const median = (v) => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)];
  console.log('body                  old ms/MiB  new ms/MiB  (median of runs, interleaved)');
  for (const body of costBodies()) {
    const mib = Buffer.byteLength(body.text) / MIB;
    const run = (x) => x.guardrails.scoreValue(x.scorer, body.type === 'application/json' ? JSON.parse(body.text) : body.text);
    const same = builds.map((x) => show(run(x)));
    if (same[0] !== same[1]) {
      differences++;
      console.log(`cost body ${body.name}: old ${same[0]} new ${same[1]}`);
    }
    const times = builds.map(() => []);
    for (let r = 0; r < RUNS; r++) {
      // Alternate which build goes first, so neither always runs on the other's leftovers.
      const order = r % 2 === 0 ? [0, 1] : [1, 0];
      for (const i of order) times[i].push(cpuMs(() => run(builds[i])) / mib);
    }
    console.log(`${body.name.padEnd(22)}${median(times[0]).toFixed(1).padStart(10)}${median(times[1]).toFixed(1).padStart(12)}`);
  }
}
if (differences > 0) process.exitCode = 1;
