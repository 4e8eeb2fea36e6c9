import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The `--guardrails` bench's arithmetic, on a tiny corpus whose right answers are known: what the
// figures people read (recall, FP rate, met/missed) are computed from.
const corpus = await import(new URL('../../bench/guardrail-corpus.mjs', import.meta.url).href);
const bench = await import(new URL('../../bench/guardrail-bench.mjs', import.meta.url).href);

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-guardrail-corpus-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(file: string, lines: unknown[]) {
  mkdirSync(join(dir, file.split('/')[0] ?? ''), { recursive: true });
  writeFileSync(join(dir, file), lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n'));
}

write('pii/holdout-a.jsonl', [
  { id: 'p1', text: 'mail maria.lopez@example.org now', label: 'positive', category: 'email', expect: [{ kind: 'email', value: 'maria.lopez@example.org' }] },
  { id: 'p2', text: 'Order 2024-118-3377 shipped', label: 'negative', category: 'email' },
  { id: 'p3', text: 'no such value here', label: 'positive', category: 'email', expect: [{ kind: 'email', value: 'x@example.org' }] },
  '{not json',
]);
write('pii/draft.jsonl', [{ id: 'p9', text: 'x', label: 'negative', category: 'email' }]);
write('injection/tune-b.jsonl', [
  { id: 'i1', text: 'a', label: 'injection', category: 'override' },
  { id: 'i2', text: 'b', label: 'injection', category: 'override' },
  { id: 'i3', text: 'c', label: 'benign', category: 'benign_plain' },
]);
write('definitions/sample-c.jsonl', [
  { id: 'd1', tool: { name: 't', description: 'x', inputSchema: { type: 'object' } }, label: 'clean', category: 'clean_plain' },
]);

describe('guardrail corpora', () => {
  it('loads well-formed items with family and split, and reports the rest instead of scoring them', () => {
    const { items, problems } = corpus.loadCorpora(dir);
    expect(items.map((i: { id: string; split: string }) => `${i.id}:${i.split}`).sort()).toEqual([
      'd1:sample',
      'i1:tune',
      'i2:tune',
      'i3:tune',
      'p1:holdout',
      'p2:holdout',
    ]);
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/expected value not in text: x@example.org/);
    expect(problems.join('\n')).toMatch(/draft\.jsonl: not named/);
    expect(problems.join('\n')).toMatch(/holdout-a\.jsonl:4/);
  });

  it('tallies outcomes into TP/FN/FP/TN, rates and verdicts per category, split and channel', () => {
    const { items } = corpus.loadCorpora(dir);
    const byId = new Map(items.map((i: { id: string }) => [i.id, i]));
    const outcomes = [
      { item: byId.get('i1'), channel: 'direct', flagged: true },
      { item: byId.get('i2'), channel: 'direct', flagged: false },
      { item: byId.get('i3'), channel: 'direct', flagged: true },
      { item: byId.get('i1'), channel: 'mcp_arguments', flagged: true },
    ];
    const rows = corpus.tabulate(outcomes);
    const row = (category: string, split: string, channel: string) =>
      rows.find((r: { category: string; split: string; channel: string }) => r.category === category && r.split === split && r.channel === channel);
    expect(row('*', 'all', 'direct')).toMatchObject({ tp: 1, fn: 1, fp: 1, tn: 0, recall: 0.5, precision: 0.5, fpr: 1, verdict: 'missed' });
    expect(row('override', 'tune', 'direct')).toMatchObject({ tp: 1, fn: 1, fp: 0, tn: 0, recall: 0.5, fpr: null });
    expect(row('*', 'tune', 'mcp_arguments')).toMatchObject({ tp: 1, fn: 0, recall: 1, fpr: null, verdict: 'met' });
  });

  it('judges against the issue targets: a benign rate over 5 % misses even with full recall', () => {
    const t = { tp: 90, fn: 10, fp: 5, tn: 95 };
    expect(corpus.verdict('injection', t)).toBe('met');
    expect(corpus.verdict('injection', { ...t, fp: 6, tn: 94 })).toBe('missed');
    expect(corpus.verdict('pii', t)).toBe('missed');
    expect(corpus.verdict('definitions', { tp: 3, fn: 0, fp: 0, tn: 4 })).toBe('met');
  });

  it('scores PII items in-process with the built detectors: the email found, the order number left alone', async () => {
    const { items } = corpus.loadCorpora(dir);
    const { outcomes } = await bench.directOutcomes(items.filter((i: { family: string }) => i.family === 'pii'));
    expect(outcomes.map((o: { item: { id: string }; flagged: boolean }) => [o.item.id, o.flagged])).toEqual([
      ['p1', true],
      ['p2', false],
    ]);
  });
});
