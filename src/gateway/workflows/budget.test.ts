import { describe, expect, it } from 'vitest';
import { WorkflowInput } from '../../core/index.js';
import { dryRunWorkflow, workflowProblems } from './dry-run.js';

/**
 * Each hostile workflow of issue 38 fails its own call with the budget error, and ordinary ones keep
 * working. How long each takes (33 s, 42 s, 5 s, 4.3 s and 3.4 s before the budget) is printed by
 * the bench (`npm run bench -- --workflow-budget`, bench/workflow-budget.mjs), not timed here: a
 * loaded machine stretches any bound, and the budget's error is what a caller relies on.
 */

const list = JSON.stringify(Array.from({ length: 1_000 }, (_, i) => i));

async function run(definition: Record<string, unknown>, body?: string) {
  const def = WorkflowInput.parse({ name: 't', ...definition });
  const result = await dryRunWorkflow(def, { method: 'POST', path: '/x', ...(body === undefined ? {} : { body }) }, null, null);
  return { result };
}

const condition = (expression: string) => ({
  request: [{ type: 'condition', id: 'c', expression, then: [{ type: 'set_headers', id: 'h', headers: { 'x-hit': '1' } }] }],
  bodyLimitBytes: 4_000_000,
});

describe('CEL under a budget', () => {
  it('stops `exists` nested three deep over a 1,000-element body', async () => {
    const { result } = await run(
      {
        ...condition('request.body.exists(a, request.body.exists(b, request.body.exists(c, a + b + c < 0)))'),
        request: [
          { type: 'condition', id: 'c', expression: 'request.body.exists(a, request.body.exists(b, request.body.exists(c, a + b + c < 0)))', then: [] },
        ],
      },
      list,
    );
    expect(result.error).toMatchObject({ code: 'GATEHOUSE_WORKFLOW_BUDGET_EXCEEDED', node: 'c' });
  });

  it('charges membership by the size of the list it scans', async () => {
    const big = JSON.stringify(Array.from({ length: 20_000 }, (_, i) => i));
    const { result } = await run(condition('request.body.exists(a, a in request.body && a < 0)'), big);
    expect(result.error).toMatchObject({ code: 'GATEHOUSE_WORKFLOW_BUDGET_EXCEEDED', node: 'c' });
  });

  it('counts the budget per call, across nodes', async () => {
    // About 54,000 steps each: one fits in a call's 100,000, two do not.
    const nineThousand = JSON.stringify(Array.from({ length: 9_000 }, (_, i) => i));
    const node = (id: string) => ({
      type: 'condition',
      id,
      expression: 'request.body.all(a, a >= 0)',
      then: [{ type: 'set_headers', id: `${id}-h`, headers: { [`x-${id}`]: '1' } }],
    });
    const one = await run({ request: [node('c1')], bodyLimitBytes: 1_048_576 }, nineThousand);
    expect(one.result.error, one.result.error?.message).toBeNull();
    const two = await run({ request: [node('c1'), node('c2')], bodyLimitBytes: 1_048_576 }, nineThousand);
    expect(two.result.decisions, two.result.error?.message).toEqual(['c1:then']);
    expect(two.result.error).toMatchObject({ code: 'GATEHOUSE_WORKFLOW_BUDGET_EXCEEDED', node: 'c2' });
  });

  it('still evaluates ordinary comprehensions to their value', async () => {
    const { result } = await run(condition('request.body.exists(a, a == 999) && request.body.all(a, a >= 0)'), list);
    expect(result.error).toBeNull();
    expect(result.decisions).toEqual(['c:then']);
    const macros = await run(
      condition('!has(request.headers.nope) && cel.bind(n, size(request.body), n == 1000) && request.body.map(a, a * 2.0).filter(a, a > 1990.0).size() == 4'),
      list,
    );
    expect(macros.result.error, macros.result.error?.message).toBeNull();
    expect(macros.result.decisions).toEqual(['c:then']);
  });

  it('runs matches() on RE2: a catastrophic pattern costs what a plain one does', async () => {
    const { result } = await run(condition('request.path.matches("^/(a+)+$")'), undefined);
    expect(result.error).toBeNull();
    const def = WorkflowInput.parse({ name: 't', ...condition('request.path.matches("^/(a+)+$")') });
    const hit = await dryRunWorkflow(def, { method: 'GET', path: `/${'a'.repeat(33)}!` }, null, null);
    expect(hit.decisions).toEqual(['c:else']);
    const yes = await dryRunWorkflow(def, { method: 'GET', path: `/${'a'.repeat(33)}` }, null, null);
    expect(yes.decisions).toEqual(['c:then']);
  });

  it('refuses patterns RE2 cannot run and patterns taken from the call', () => {
    const problems = (expression: string) => workflowProblems(WorkflowInput.parse({ name: 't', ...condition(expression) })).map((p) => p.message);
    expect(problems('request.path.matches("(a)\\\\1")')[0]).toMatch(/not accepted/);
    expect(problems('request.path.matches(request.headers["x-p"])')[0]).toMatch(/string literal/);
  });

  it('stops a constant expression that would run for minutes while the workflow is validated', () => {
    const big = `[${Array.from({ length: 300 }, (_, i) => i).join(',')}]`;
    const problems = workflowProblems(WorkflowInput.parse({ name: 't', ...condition(`${big}.exists(a, ${big}.exists(b, ${big}.exists(c, a + b + c < 0)))`) }));
    // Validation ends, the expression left to the budget of each call.
    expect(problems).toEqual([]);
  });
});

describe('templates bounded in output', () => {
  it('stops a mock body of 1,000 copies of a large request body while rendering', async () => {
    const sample = JSON.stringify({ blob: 'x'.repeat(900_000) });
    const rss = process.memoryUsage().rss;
    const { result } = await run(
      {
        request: [
          { type: 'validate_request', id: 'v', body: false },
          { type: 'mock_response', id: 'm', body: { copies: Array.from({ length: 1_000 }, () => '{{request.body}}') } },
        ],
        bodyLimitBytes: 1_048_576,
      },
      sample,
    );
    expect(result.error).toMatchObject({ code: 'GATEHOUSE_WORKFLOW_BUDGET_EXCEEDED', node: 'm' });
    expect(process.memoryUsage().rss - rss).toBeLessThan(200 * 1_048_576);
  });
});

describe('JSONata under a budget', () => {
  const transform = (expression: string, extra: Record<string, unknown> = {}) => ({
    request: [{ type: 'transform_json', id: 't', expression, ...extra }],
    bodyLimitBytes: 1_048_576,
  });

  it('runs $match regexes on RE2', async () => {
    const { result } = await run(transform('$match(s, /^(a+)+$/)', { timeoutMs: 1_000 }), JSON.stringify({ s: `${'a'.repeat(30)}!` }));
    expect(result.error).toBeNull();
    const ok = await run(transform('$match(s, /a(b+)/).groups'), JSON.stringify({ s: 'xabbby' }));
    expect(ok.result.upstreamRequest?.body).toBe('["bbb"]');
  });

  it('refuses regex literals RE2 cannot run', () => {
    const problems = workflowProblems(WorkflowInput.parse({ name: 't', ...transform('$match(s, /(a)\\1/)') }));
    expect(problems[0]?.path).toBe('request[0].expression');
  });

  it('keeps the guards inside $eval', async () => {
    const { result } = await run(transform('$eval("$pad(\\"x\\", 100000000)")'), '{}');
    expect(result.error).toMatchObject({ code: 'GATEHOUSE_WORKFLOW_BUDGET_EXCEEDED', node: 't' });
    const re = await run(transform('$eval("$match(s, /^(a+)+$/)")', { timeoutMs: 1_000 }), JSON.stringify({ s: `${'a'.repeat(30)}!` }));
    expect(re.result.error).toBeNull();
  });

  it('refuses $pad to 10^8 characters before building it', async () => {
    const rss = process.memoryUsage().rss;
    const { result } = await run(transform('$pad("x", 100000000)'), '{}');
    expect(result.error).toMatchObject({ code: 'GATEHOUSE_WORKFLOW_BUDGET_EXCEEDED', node: 't' });
    // Built, the string alone would take 100 MB (200 MB as UTF-16).
    expect(process.memoryUsage().rss - rss).toBeLessThan(100 * 1_048_576);
  });

  it('stops a long loop at timeoutMs of its own running time, letting other work in meanwhile', async () => {
    let ticks = 0;
    const timer = setInterval(() => {
      ticks++;
    }, 1);
    // A million steps: more than 500 ms of work on any machine.
    const { result } = await run(transform('$sum([1..1000].($sum([1..1000].($ * 2))))', { timeoutMs: 500 }), '{}');
    clearInterval(timer);
    expect(result.error).toMatchObject({ code: 'GATEHOUSE_WORKFLOW_BUDGET_EXCEEDED', node: 't' });
    // Held for the whole run, the loop would let the timer in at most once, after it; yielding, the
    // timer runs between slices (counted, not timed: a loaded machine stretches gaps, not their number).
    expect(ticks).toBeGreaterThanOrEqual(5);
  });

  it('bounds string growth, $join and $replace', async () => {
    const doubling = await run(transform('$reduce([1..40], function($acc, $i){ $acc & $acc }, "xx")'), '{}');
    expect(doubling.result.error?.code).toBe('GATEHOUSE_WORKFLOW_BUDGET_EXCEEDED');
    const replace = await run(transform(`$replace(s, "a", "${'b'.repeat(1_000)}")`), JSON.stringify({ s: 'a'.repeat(100_000) }));
    expect(replace.result.error?.code).toBe('GATEHOUSE_WORKFLOW_BUDGET_EXCEEDED');
    const join = await run(transform('$join([1..5000].$pad("", 500), "")'), '{}');
    expect(join.result.error?.code).toBe('GATEHOUSE_WORKFLOW_BUDGET_EXCEEDED');
    const fine = await run(transform('$replace(s, "a", "b")'), JSON.stringify({ s: 'aXa' }));
    expect(fine.result.upstreamRequest?.body).toBe('"bXb"');
  });
});

describe('nesting', () => {
  it('refuses conditions nested 1,000 deep with an issue, not a stack overflow', () => {
    let node: Record<string, unknown> = { type: 'set_headers', id: 'leaf', headers: { a: 'b' } };
    for (let i = 0; i < 1_000; i++) node = { type: 'condition', id: `c${i}`, expression: 'request.method == "GET"', then: [node] };
    const parsed = WorkflowInput.safeParse({ name: 'deep', request: [node] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/nest at most 10 deep/);
    expect(parsed.error?.issues[0]?.path.join('.')).toBe(`request.0${'.then.0'.repeat(10)}`);
  });

  it('accepts ten levels', () => {
    let node: Record<string, unknown> = { type: 'set_headers', id: 'leaf', headers: { a: 'b' } };
    for (let i = 0; i < 9; i++) node = { type: 'condition', id: `c${i}`, expression: 'request.method == "GET"', then: [node] };
    expect(WorkflowInput.safeParse({ name: 'ok', request: [node] }).success).toBe(true);
  });
});
