import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';

/** What a probe saw in a window: how many answers, the slowest, and how many failed. */
export interface ProbeResult {
  count: number;
  maxMs: number;
  failures: number;
}

/** A probe running in its own process, so a stalled gateway cannot stall the measurement too. */
export interface HealthProbe {
  /** Runs `work` and reports what the probe saw meanwhile (and for a few probes after it). */
  during<T>(work: () => Promise<T>): Promise<{ out: T; probe: ProbeResult }>;
  close(): Promise<void>;
}

// Probes one URL back to back (10 ms apart). "mark" on stdin starts a window, "report" prints what
// the window saw once at least one probe has started after the report was asked for.
const SCRIPT = `
const url = process.argv[1];
let w = { count: 0, maxMs: 0, failures: 0 }, reportAfter = null, closed = false;
let buf = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => {
  buf += d;
  let i;
  while ((i = buf.indexOf('\\n')) !== -1) {
    const cmd = buf.slice(0, i); buf = buf.slice(i + 1);
    if (cmd === 'mark') w = { count: 0, maxMs: 0, failures: 0 };
    if (cmd === 'report') reportAfter = performance.now();
  }
});
process.stdin.on('end', () => { closed = true; });
(async () => {
  let first = true;
  while (!closed) {
    const started = performance.now();
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      if (res.status !== 200) w.failures++;
    } catch { w.failures++; }
    const ms = performance.now() - started;
    if (first) { first = false; process.stdout.write('ready\\n'); }
    else { w.count++; w.maxMs = Math.max(w.maxMs, ms); }
    if (reportAfter !== null && started > reportAfter) { reportAfter = null; process.stdout.write(JSON.stringify(w) + '\\n'); }
    await new Promise((r) => setTimeout(r, 10));
  }
})();
`;

function nextLine(child: ChildProcessByStdio<Writable, Readable, null>): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (chunk: string) => {
      buf += chunk;
      const i = buf.indexOf('\n');
      if (i === -1) return;
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      resolve(buf.slice(0, i));
    };
    const onExit = () => reject(new Error('the health probe exited'));
    child.stdout.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Starts probing `url` (e.g. the proxy listener's /healthz) from a child process; resolves once the first answer came back. */
export async function startHealthProbe(url: string): Promise<HealthProbe> {
  const child = spawn(process.execPath, ['-e', SCRIPT, url], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdout.setEncoding('utf8');
  expectLine(await nextLine(child), 'ready');
  return {
    async during(work) {
      child.stdin.write('mark\n');
      const out = await work();
      const report = nextLine(child);
      child.stdin.write('report\n');
      return { out, probe: JSON.parse(await report) as ProbeResult };
    },
    async close() {
      child.stdin.end();
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

function expectLine(line: string, expected: string): void {
  if (line !== expected) throw new Error(`the health probe said ${line}`);
}
