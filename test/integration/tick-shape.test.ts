import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// V8's map identity is visible only to natives syntax, so the check runs in a child Node with
// --allow-natives-syntax, against the build (`npm test` builds first).
const MODULE = new URL('../../dist/gateway/pipeline/tick-shape.js', import.meta.url).href;

const CHILD = `
import { createHook } from 'node:async_hooks';
import { pinTickShape, tickShapePin } from ${JSON.stringify(MODULE)};
const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)');
// The first queue entry nextTick builds after the hook is on.
function nextEntry() {
  let entry = null;
  const hook = createHook({ init(_id, type, _trigger, resource) { if (type === 'TickObject') entry ??= resource; } }).enable();
  process.nextTick(() => {});
  hook.disable();
  return entry;
}
const before = tickShapePin();
pinTickShape();
const pin = tickShapePin();
const result = { before, pinned: pin !== null, sameAtOnce: sameMap(pin, nextEntry()) };
// Idle: no entry alive, and full collections (the memory reducer's kind) free maps nothing holds.
await new Promise((resolve) => setTimeout(resolve, 50));
for (let i = 0; i < 4; i++) gc();
result.sameAfterGc = sameMap(pin, nextEntry());
pinTickShape();
result.stable = tickShapePin() === pin;
console.log(JSON.stringify(result));
`;

describe('nextTick queue-entry shape pin', () => {
  it('holds an object of exactly the shape nextTick builds, through idle full collections', () => {
    const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--expose-gc', '--input-type=module', '-e', CHILD], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ before: null, pinned: true, sameAtOnce: true, sameAfterGc: true, stable: true });
  });
});
