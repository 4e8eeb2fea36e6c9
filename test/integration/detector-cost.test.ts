import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../support/detector-cost.mjs', import.meta.url));

describe('guardrail detectors on adversarial input (ReDoS safety)', () => {
  it('every detector is linear on every hostile body: 2 MiB costs at most 8× half a MiB, and 1 MiB under 150 ms of CPU (or 8× one linear pass on a slower machine), in the built gateway', () => {
    const run = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8', timeout: 240_000 });
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { measured: number; pairs: number; slow: string[] };
    // 29 bodies × 8 detectors (seven PII families and prompt_guard), every pair timed at ½, 1 and 2 MiB.
    expect(result.pairs).toBe(232);
    expect(result.measured).toBe(result.pairs);
    expect(result.slow).toEqual([]);
  }, 270_000);
});
