import fc from 'fast-check';
import { expect } from 'vitest';

/** The seed every fuzzer runs with, so a failure replays exactly; set GATEHOUSE_FUZZ_SEED to explore others. */
export const FUZZ_SEED = Number(process.env.GATEHOUSE_FUZZ_SEED ?? 20261123);

export interface FuzzRuns {
  /** Cases to run: the environment variable's value, else `ci` under CI=true, else `local`. */
  runs: number;
  /** The fewest cases that make the run mean something; a run asked for fewer fails. */
  floor: number;
}

/** How many cases a fuzzer runs: a fixed count (never "until a clock says stop"), overridable by `envName`. */
export function fuzzRuns(envName: string, counts: { local: number; ci: number; floor: number }): FuzzRuns {
  const fromEnv = process.env[envName];
  const runs = fromEnv !== undefined ? Number(fromEnv) : process.env.CI === 'true' ? counts.ci : counts.local;
  return { runs, floor: counts.floor };
}

/**
 * Runs `property` for exactly `runs` generated cases (after its explicit `examples`) with the fixed
 * seed, prints how many ran, and fails on a counterexample or when fewer than the floor ran.
 * Returns the number of cases run.
 */
export async function runFuzz<Ts extends [unknown, ...unknown[]]>(
  name: string,
  arbitraries: { [K in keyof Ts]: fc.Arbitrary<Ts[K]> },
  predicate: (...args: Ts) => Promise<void>,
  opts: FuzzRuns & { examples?: Ts[] },
): Promise<number> {
  expect(Number.isInteger(opts.runs) && opts.runs >= opts.floor, `${name}: ${opts.runs} cases asked for, below this fuzzer's floor of ${opts.floor}`).toBe(
    true,
  );
  let ran = 0;
  const property = fc.asyncProperty(...arbitraries, async (...args: Ts) => {
    ran++;
    await predicate(...args);
  });
  const examples = opts.examples ?? [];
  const details = await fc.check(property as fc.IAsyncPropertyWithHooks<Ts>, {
    numRuns: opts.runs + examples.length,
    seed: FUZZ_SEED,
    examples,
    endOnFailure: true,
  });
  console.log(`[fuzz] ${name}: ${details.numRuns} cases ran (${examples.length} explicit examples), ${ran} property calls, seed ${FUZZ_SEED}`);
  if (details.failed) {
    const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(`${name}: ${fc.defaultReportMessage(details) ?? 'the property failed'}\n${cause}`);
  }
  expect(details.interrupted, `${name}: the run was interrupted`).toBe(false);
  expect(details.numRuns, `${name}: fewer cases ran than asked for`).toBe(opts.runs + examples.length);
  expect(details.numRuns, `${name}: fewer cases ran than the floor`).toBeGreaterThanOrEqual(opts.floor);
  return details.numRuns;
}
