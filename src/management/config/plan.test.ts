import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { GatehouseError } from '../../core/index.js';
import type { Operation } from '../operation.js';
import { exportDocument } from './export.js';
import { configKinds } from './kinds.js';
import { makePlan } from './plan.js';
import { parseSelector } from './selector.js';
import { readWanted } from './wanted.js';

// A made-up kind that may point at others of its own kind (as workflows calling workflows will),
// with a write-only secret: what the real kinds cannot yet show.
const Task = z.strictObject({ name: z.string(), after: z.array(z.string()).default([]), token: z.string().optional() });
const op = (action: string, input: z.ZodType, extra: Partial<Operation> = {}): Operation =>
  ({
    name: `users.${action}`,
    resource: 'users',
    action,
    summary: action,
    permission: 'write',
    input,
    output: z.unknown(),
    http: { method: 'POST', path: '/x' },
    handler: async () => ({}),
    ...extra,
  }) as Operation;
const ops = [
  op('list', z.object({})),
  op('create', Task, { declarative: { identity: ['name'], refs: { after: 'users' }, secretFields: ['token'] } }),
  op('update', Task.partial().extend({ id: z.string() })),
  op('delete', z.object({ id: z.string() })),
];
const kinds = configKinds(ops);
const all = parseSelector(kinds, undefined);

async function problems(fn: () => Promise<unknown>): Promise<Array<{ path: string; message: string }>> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof GatehouseError) return err.details as Array<{ path: string; message: string }>;
    throw err;
  }
  throw new Error('no error');
}

describe('declarative planning', () => {
  it('orders creates so each comes after what it refers to', async () => {
    const doc = { users: [{ name: 'c', after: ['b'] }, { name: 'b', after: ['a'] }, { name: 'a' }] };
    const plan = await makePlan(kinds, await readWanted(kinds, doc, [], all), [], { prune: false, scope: all });
    expect(plan.changes.map((c) => c.name)).toEqual(['a', 'b', 'c']);
    const b = plan.steps.find((s) => s.change.name === 'b')!;
    expect(b.input.after).toEqual([plan.steps[0]!.creates]);
  });

  it('names every item of a reference loop, at its place in the file, and plans nothing', async () => {
    const doc = { users: [{ name: 'x', after: ['y'] }, { name: 'y', after: ['x'] }, { name: 'z' }] };
    const found = await problems(async () => makePlan(kinds, await readWanted(kinds, doc, [], all), [], { prune: false, scope: all }));
    expect(found).toEqual([
      { path: 'users.0', message: 'users refer to each other in a loop: x, y' },
      { path: 'users.1', message: 'users refer to each other in a loop: x, y' },
    ]);
  });

  it('exports secrets as environment references, never their values', async () => {
    const present = [
      {
        kind: kinds[0]!,
        names: ['svc'],
        key: '\nusers:svc',
        parentKey: null,
        root: { section: 'users', name: 'svc' },
        label: 'svc',
        input: { name: 'svc', after: [], token: 's3cr3t' },
        id: 'u1',
      },
    ];
    const doc = exportDocument(kinds, present, all);
    expect(doc).toEqual({ version: 1, users: [{ name: 'svc', token: `\${GATEHOUSE_USERS_SVC_TOKEN}` }] });
    // A secret alone never shows as a change (reads cannot return it to compare).
    const wanted = await readWanted(kinds, { users: [{ name: 'svc', token: 'other' }] }, present, all);
    expect((await makePlan(kinds, wanted, present, { prune: false, scope: all })).changes).toEqual([]);
  });

  it('plans 50,000 items in slices: the event loop is never held for long', async () => {
    // Every hundredth refers to the one before: creates are ordered over a few passes.
    const doc = { users: Array.from({ length: 50_000 }, (_, i) => ({ name: `u${i}`, ...(i % 100 === 1 ? { after: [`u${i - 1}`] } : {}) })) };
    let ticks = 0;
    const ticker = setInterval(() => {
      ticks++;
    }, 1);
    const plan = await makePlan(kinds, await readWanted(kinds, doc, [], all), [], { prune: false, scope: all });
    clearInterval(ticker);
    expect(plan.steps).toHaveLength(50_000);
    // Unsliced, planning held the loop for its whole length: the timer ran at most once, after it.
    // Sliced, it runs between slices (counted, not timed: a loaded machine stretches gaps, not their number).
    expect(ticks).toBeGreaterThanOrEqual(5);
  });

  it('rejects selectors naming unknown sections', () => {
    expect(() => parseSelector(kinds, 'widgets=a')).toThrow(/Invalid selector term "widgets=a"/);
    const only = parseSelector(kinds, 'users=a*');
    expect(only({ root: { section: 'users', name: 'ab' } })).toBe(true);
    expect(only({ root: { section: 'users', name: 'b' } })).toBe(false);
  });
});
