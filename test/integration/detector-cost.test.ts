import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../support/detector-cost.mjs', import.meta.url));

describe('guardrail detectors on adversarial input (ReDoS safety)', () => {
  it('no detector takes more than 150 ms of CPU on 1 MiB of any hostile body (linear, not super-linear), in the built gateway', () => {
    const run = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { measured: number; pairs: number; slow: string[] };
    // 27 bodies × 8 detectors (seven PII families and prompt_guard), every pair timed.
    expect(result.pairs).toBe(216);
    expect(result.measured).toBe(result.pairs);
    expect(result.slow).toEqual([]);
  }, 150_000);
});
