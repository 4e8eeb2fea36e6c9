import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');

export interface Check {
  id: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'SKIPPED' | 'INFO';
  errorMessage?: string;
}

export interface SuiteRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Checks per scenario, read from the suite's checks.json files. */
  checks: Record<string, Check[]>;
}

/** A free loopback port for the suite's OAuth callback listener. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * Runs `conformance authorization` (every authorization-server scenario, in order: the code-grant
 * scenario needs the metadata scenario's result) against `issuer`. The suite prints the
 * authorization URL for a human; `onAuthorizationUrl` plays the user's browser for it.
 */
export async function runAuthorizationSuite(opts: {
  issuer: string;
  clientId: string;
  resource: string;
  port: number;
  onAuthorizationUrl: (url: string) => Promise<void>;
  timeoutMs?: number;
}): Promise<SuiteRun> {
  const out = mkdtempSync(join(tmpdir(), 'gatehouse-conformance-'));
  const args = [CLI, 'authorization', '--url', opts.issuer, '--client-id', opts.clientId];
  args.push('--resource', opts.resource, '--port', String(opts.port), '--output-dir', out);
  const child = spawn(process.execPath, args, { cwd: out, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let browsing: Promise<void> | undefined;
  let browseError: unknown;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    const url = /^(https?:\/\/\S+[?&]response_type=code\S*)$/m.exec(stdout)?.[1];
    if (url && !browsing) {
      browsing = opts.onAuthorizationUrl(url).catch((err: unknown) => {
        browseError = err;
      });
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGTERM'), opts.timeoutMs ?? 60_000);
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  clearTimeout(timer);
  await browsing;
  try {
    if (browseError) throw browseError;
    return { exitCode, stdout, stderr, checks: readChecks(out) };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function readChecks(dir: string): Record<string, Check[]> {
  const checks: Record<string, Check[]> = {};
  for (const entry of readdirSync(dir, { recursive: true }).map(String)) {
    const match = /^authorization-server-(.+)-\d{4}-[^/]+[\\/]checks\.json$/.exec(entry);
    if (match?.[1]) checks[match[1]] = JSON.parse(readFileSync(join(dir, entry), 'utf8')) as Check[];
  }
  return checks;
}
