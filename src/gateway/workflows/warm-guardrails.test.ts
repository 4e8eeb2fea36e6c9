import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../snapshot/types.js';
import { warmGuardrails } from './warm-guardrails.js';

/** A snapshot with just the workflows the warm-up reads. */
function snapshotWith(...definitions: unknown[]): Snapshot {
  const workflows = new Map(definitions.map((definition, i) => [`wf${i}`, { latest: { version: 1, definition }, pinned: new Map() }]));
  return { workflows } as unknown as Snapshot;
}

const guard = { id: 'g', type: 'prompt_guard', action: 'block' };
const pii = { id: 'p', type: 'detect_pii', types: ['email'] };

async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((r) => setTimeout(r, 5));
}

describe('guardrail libraries load when the live configuration first needs them, not in its first call', () => {
  it('loads the engine for a prompt_guard nested in a condition branch, the PII detectors for detect_pii, each once', async () => {
    const loads: string[] = [];
    let live = snapshotWith({ request: [{ id: 'c', type: 'condition', when: 'true', then: [guard], else: [] }] });
    const stop = warmGuardrails(
      () => live,
      () => {},
      { checkMs: 5, loaders: { engine: async () => loads.push('engine'), pii: () => loads.push('pii') } },
    );
    try {
      await until(() => loads.length === 1);
      expect(loads).toEqual(['engine']);
      // A later configuration adds detect_pii (and keeps prompt_guard): only the PII detectors are loaded now.
      live = snapshotWith({ request: [guard] }, { response: [pii] });
      await until(() => loads.length === 2);
      live = snapshotWith({ request: [guard, pii] });
      await new Promise((r) => setTimeout(r, 30));
      expect(loads).toEqual(['engine', 'pii']);
    } finally {
      stop();
    }
  });

  it('loads nothing for a configuration without guardrail nodes, and reports a failed load instead of throwing', async () => {
    const loads: string[] = [];
    const errors: string[] = [];
    let live = snapshotWith({ request: [{ id: 'h', type: 'set_headers', set: { a: 'b' } }] });
    const stop = warmGuardrails(
      () => live,
      (msg) => errors.push(msg),
      {
        checkMs: 5,
        loaders: {
          engine: async () => {
            throw new Error('no engine');
          },
          pii: () => loads.push('pii'),
        },
      },
    );
    try {
      await new Promise((r) => setTimeout(r, 30));
      expect(loads).toEqual([]);
      live = snapshotWith({ request: [guard] });
      await until(() => errors.length === 1);
      expect(errors[0]).toMatch(/prompt-injection engine/);
    } finally {
      stop();
    }
  });
});
