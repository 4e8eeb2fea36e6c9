import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** How the official MCP conformance suite (@modelcontextprotocol/conformance) is run from tests. */

/** The scenario a suite output directory holds: `server-<scenario>-<timestamp>`. */
export function scenarioOf(dir: string): string {
  return dir.replace(/^server-/, '').replace(/-\d{4}-\d{2}-\d{2}T.*$/, '');
}

export const CLI = new URL('../../../node_modules/@modelcontextprotocol/conformance/dist/index.js', import.meta.url).pathname;
const BEARER = new URL('./bearer/register.mjs', import.meta.url).pathname;

export interface Check {
  id: string;
  status: string;
  errorMessage?: string;
}

/** Where the suite points, and the bearer token its requests carry there (none for an open server). */
export interface Target {
  url: string;
  bearer?: string;
}

/** Runs the suite's server command (`selection`: `--scenario x`, `--requirements <revision>`, …) with its results under `outDir`. */
export function runSuite(target: Target, selection: string[], outDir: string): Promise<{ code: number | null; output: string }> {
  const env = { ...process.env };
  if (target.bearer) {
    env.GATEHOUSE_CONFORMANCE_BEARER = target.bearer;
    env.GATEHOUSE_CONFORMANCE_ORIGIN = new URL(target.url).origin;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', BEARER, CLI, 'server', '--url', target.url, ...selection, '-o', outDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Every check of a run, by scenario. */
export function checksOf(dir: string): Map<string, Check[]> {
  const out = new Map<string, Check[]>();
  let files: string[] = [];
  try {
    files = readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('checks.json'));
  } catch {
    // no output directory: the run failed before any scenario; the caller shows its output
  }
  for (const f of files) {
    const scenario = scenarioOf(f.split(/[\\/]/)[0]!);
    out.set(scenario, [...(out.get(scenario) ?? []), ...(JSON.parse(readFileSync(join(dir, f), 'utf8')) as Check[])]);
  }
  return out;
}

export const failed = (c: Check) => c.status === 'FAILURE' || c.status === 'ERROR';
