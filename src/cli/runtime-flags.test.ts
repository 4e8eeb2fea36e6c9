import { describe, expect, it } from 'vitest';
import { runtimePlan, servesGateway } from './runtime-flags.js';

describe('runtimePlan', () => {
  it('adds the semi-space cap, the old generation growth, no Maglev and the malloc arena limit to a plain start', () => {
    expect(runtimePlan({}, [])).toEqual({ flags: ['--max-semi-space-size=8', '--heap-growing-percent=50', '--no-maglev'], env: { MALLOC_ARENA_MAX: '2' } });
  });

  it('leaves a flag the operator set on the command line or in NODE_OPTIONS, in either spelling', () => {
    expect(runtimePlan({}, ['--max-semi-space-size=64'])?.flags).toEqual(['--heap-growing-percent=50', '--no-maglev']);
    expect(runtimePlan({ NODE_OPTIONS: '--enable-source-maps --max_semi_space_size=4' }, [])?.flags).toEqual(['--heap-growing-percent=50', '--no-maglev']);
    expect(runtimePlan({}, ['--heap_growing_percent=100', '--max-semi-space-size=64', '--maglev'])?.flags).toEqual([]);
    expect(runtimePlan({}, ['--no_maglev'])?.flags).toEqual(['--max-semi-space-size=8', '--heap-growing-percent=50']);
  });

  it("keeps the operator's malloc settings and adds nothing once all are set", () => {
    const own = { MALLOC_ARENA_MAX: '8' };
    expect(runtimePlan(own, [])).toEqual({ flags: ['--max-semi-space-size=8', '--heap-growing-percent=50', '--no-maglev'], env: {} });
    expect(runtimePlan({ ...own, NODE_OPTIONS: '--max-semi-space-size=32 --maglev' }, ['--heap-growing-percent=20'])).toBeNull();
  });

  it('does nothing when opted out or already re-executed', () => {
    expect(runtimePlan({ GATEHOUSE_NODE_FLAGS: 'off' }, [])).toBeNull();
    expect(runtimePlan({ GATEHOUSE_NODE_FLAGS_APPLIED: '1' }, [])).toBeNull();
  });
});

describe('servesGateway', () => {
  it('finds serve as the command, after the global --data-dir, and nowhere else', () => {
    expect(servesGateway(['serve', '--port', '0'])).toBe(true);
    expect(servesGateway(['--data-dir', 'serve', 'serve'])).toBe(true);
    expect(servesGateway(['--data-dir=/d', 'serve'])).toBe(true);
    expect(servesGateway(['--data-dir', 'serve', 'users', 'list'])).toBe(false);
    expect(servesGateway(['apply', '-f', 'serve'])).toBe(false);
    expect(servesGateway([])).toBe(false);
  });
});
