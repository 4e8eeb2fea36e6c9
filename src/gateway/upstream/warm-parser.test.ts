import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { warmResponseParser } from './warm-parser.js';

const BUILT = fileURLToPath(new URL('../../../dist/gateway/upstream/warm-parser.js', import.meta.url));

// Two cluster workers warming up at once, as `serve --workers 2` starts: each prints how many of its warm-ups failed.
const CLUSTER = `
import cluster from 'node:cluster';
if (cluster.isPrimary) {
  let failed = 0;
  let left = 2;
  for (let i = 0; i < 2; i++)
    cluster.fork().on('message', (n) => {
      failed += n;
      if (--left === 0) {
        console.log(failed);
        process.exit(0);
      }
    });
} else {
  const { warmResponseParser } = await import(process.env.WARM_PARSER);
  let failed = 0;
  for (let i = 0; i < 30; i++) await warmResponseParser().catch(() => failed++);
  process.send(failed, () => process.exit(0));
}
`;

function tcpHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP')).length;
}

describe('warmResponseParser', () => {
  it('completes a real exchange and leaves no server or socket open behind it', async () => {
    const before = tcpHandles();
    await warmResponseParser();
    // Closed handles leave the active list once libuv has run their close callbacks.
    for (let i = 0; i < 100 && tcpHandles() > before; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(tcpHandles()).toBe(before);
  });

  it('can run again (a second start-up in the same process)', async () => {
    await expect(warmResponseParser()).resolves.toBeUndefined();
    await expect(warmResponseParser()).resolves.toBeUndefined();
  });

  it('never fails in cluster workers warming up at the same time (each listens on a socket of its own)', () => {
    // A file, not `-e`: cluster workers re-run the primary's script.
    const dir = mkdtempSync(join(tmpdir(), 'warm-parser-'));
    try {
      const script = join(dir, 'cluster.mjs');
      writeFileSync(script, CLUSTER);
      const run = spawnSync(process.execPath, [script], { env: { ...process.env, WARM_PARSER: BUILT }, encoding: 'utf8', timeout: 60_000 });
      expect(run.stderr).toBe('');
      expect(run.stdout.trim()).toBe('0');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
