// `npm run bench -- --workflow-budget` (or `node bench/workflow-budget.mjs`): how long each hostile
// workflow of issue 38 takes to be stopped by its budget (or to answer), and the longest the event
// loop was held meanwhile — the figures the tests do not time (src/gateway/workflows/budget.test.ts
// and test/integration/workflow-budget.test.ts assert the budget's error and that /healthz is answered).
// Each case runs as a dry run in this process (as the admin API runs it), warm, BENCH_ROUNDS (5) times;
// medians printed. Before the budget: 33 s, 42 s, 5 s, 4.3 s and 3.4 s for the first five.
// Needs a build (npm run build).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WorkflowInput } from '../dist/core/index.js';
import { dryRunWorkflow } from '../dist/gateway/workflows/dry-run.js';
import { median, printTable } from './lib.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const list = JSON.stringify(Array.from({ length: 1_000 }, (_, i) => i));
const condition = (expression) => ({ request: [{ type: 'condition', id: 'c', expression, then: [] }], bodyLimitBytes: 4_000_000 });
const transform = (expression, extra = {}) => ({ request: [{ type: 'transform_json', id: 't', expression, ...extra }], bodyLimitBytes: 1_048_576 });
const PHONES = JSON.stringify({ contacts: Array.from({ length: 40_000 }, (_, i) => `call +1 415 555 ${1000 + (i % 9000)}`) });

/** The hostile workflows: a definition, a sample body, and what the dry run must end with. */
const CASES = [
  {
    name: 'CEL exists ×3 over 1,000 elements',
    def: condition('request.body.exists(a, request.body.exists(b, request.body.exists(c, a + b + c < 0)))'),
    body: list,
    code: 'GATEHOUSE_WORKFLOW_BUDGET_EXCEEDED',
  },
  {
    name: 'CEL membership over 20,000 elements',
    def: condition('request.body.exists(a, a in request.body && a < 0)'),
    body: JSON.stringify(Array.from({ length: 20_000 }, (_, i) => i)),
    code: 'GATEHOUSE_WORKFLOW_BUDGET_EXCEEDED',
  },
  { name: 'CEL matches("^/(a+)+$") (RE2)', def: condition('request.path.matches("^/(a+)+$")'), body: undefined, code: null },
  {
    name: 'mock body of 1,000 × a 0.9 MB body',
    def: {
      request: [
        { type: 'validate_request', id: 'v', body: false },
        { type: 'mock_response', id: 'm', body: { copies: Array.from({ length: 1_000 }, () => '{{request.body}}') } },
      ],
      bodyLimitBytes: 1_048_576,
    },
    body: JSON.stringify({ blob: 'x'.repeat(900_000) }),
    code: 'GATEHOUSE_WORKFLOW_BUDGET_EXCEEDED',
  },
  {
    name: 'JSONata $match catastrophic regex (RE2)',
    def: transform('$match(s, /^(a+)+$/)', { timeoutMs: 1_000 }),
    body: JSON.stringify({ s: `${'a'.repeat(30)}!` }),
    code: null,
  },
  {
    name: 'JSONata a million steps (timeoutMs 500)',
    def: transform('$sum([1..1000].($sum([1..1000].($ * 2))))', { timeoutMs: 500 }),
    body: '{}',
    code: 'GATEHOUSE_WORKFLOW_BUDGET_EXCEEDED',
  },
  {
    name: 'detect_pii + prompt_guard over 0.9 MB of phones',
    def: {
      request: [
        { type: 'detect_pii', id: 'pii', types: ['email', 'phone', 'card', 'iban', 'ip', 'secret'], defaultCountry: 'US', action: 'redact' },
        { type: 'prompt_guard', id: 'guard' },
      ],
      bodyLimitBytes: 1_048_576,
    },
    body: PHONES,
    code: null,
  },
];

/** One dry run: its wall time and the longest the event loop was held meanwhile. */
async function timed(c) {
  const def = WorkflowInput.parse({ name: 'bench', ...c.def });
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const started = performance.now();
  const result = await dryRunWorkflow(def, { method: 'POST', path: '/x', ...(c.body === undefined ? {} : { body: c.body }) }, null, null);
  const ms = performance.now() - started;
  // A loop held to the end is sampled once it turns again.
  await new Promise((resolve) => setTimeout(resolve, 5));
  delay.disable();
  const code = result.error?.code ?? null;
  if (code !== c.code) throw new Error(`${c.name}: ended with ${code}, expected ${c.code}`);
  return { ms, heldMs: delay.max / 1e6 };
}

/** Prints each case's median time to its end and the median of its longest loop stall. */
export async function workflowBudgetBench() {
  const rows = [];
  for (const c of CASES) {
    await timed(c); // warm
    const runs = [];
    for (let i = 0; i < ROUNDS; i++) runs.push(await timed(c));
    rows.push([c.name, median(runs.map((r) => r.ms)).toFixed(0), median(runs.map((r) => r.heldMs)).toFixed(0)]);
  }
  console.log(`\nhostile workflows (issue 38), dry runs in process, medians of ${ROUNDS} warm runs`);
  printTable(['case', 'ms to end', 'loop held max ms'], rows);
}

if (import.meta.url === `file://${process.argv[1]}`) await workflowBudgetBench();
