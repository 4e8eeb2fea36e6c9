import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI; `npm test` builds it first. */
export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** Runs `gatehouse …` to completion and returns its exit code and output. */
export function runCli(args: string[], env: Record<string, string>, stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

/** Starts `gatehouse serve --json` and resolves with the printed summary once it is listening (or fails after `timeoutMs`). */
export function spawnServe(args: string[], env: Record<string, string>, timeoutMs = 30_000): Promise<{ child: ChildProcess; summary: any }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'serve', '--json', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${err}`)), timeoutMs);
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.on('data', (d) => {
      out += d;
      try {
        const summary = JSON.parse(out);
        clearTimeout(timer);
        resolve({ child, summary });
      } catch {
        // not complete yet
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
}

/** A running `gatehouse …` whose stderr can be waited on (for interactive flows such as login). */
export interface LiveCli {
  child: ChildProcess;
  /** Resolves with the first match of `pattern` in stderr so far or to come. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  done: Promise<{ code: number; stdout: string; stderr: string }>;
}

/** Starts `gatehouse …` and leaves it running. */
export function startCli(args: string[], env: Record<string, string>): LiveCli {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: Array<() => void> = [];
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => {
    stderr += d;
    for (const w of waiters.splice(0)) w();
  });
  const done = new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
  return {
    child,
    done,
    waitFor(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern} in: ${stderr}`)), timeoutMs);
        const check = () => {
          const m = pattern.exec(stderr);
          if (m) {
            clearTimeout(timer);
            resolve(m);
          } else if (child.exitCode !== null) {
            clearTimeout(timer);
            reject(new Error(`the CLI exited before ${pattern}: ${stderr}`));
          } else waiters.push(check);
        };
        check();
      });
    },
  };
}
