import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../support/cli.js';
import { postgresAvailable } from '../support/databases.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

// Large enough for progress to be seen on the way (a few seconds on PostgreSQL, where creates are
// written 200 to a statement), small enough for the suite.
const ITEMS = 12_000;

const pg = await postgresAvailable();

describe.skipIf(!pg)('gatehouse apply as a job, and jobs watch (PostgreSQL)', { timeout: 120_000 }, () => {
  let t: TestGatehouse;
  let env: Record<string, string>;
  let dir: string;
  beforeAll(async () => {
    t = await startTestGatehouse('postgres');
    const sa = await t.serviceAccount('admin');
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-jobs-'));
    env = { XDG_CONFIG_HOME: dir, GATEHOUSE_SERVER: t.gh.urls.admin, GATEHOUSE_CLIENT_ID: sa.clientId, GATEHOUSE_CLIENT_SECRET: sa.clientSecret };
  });
  afterAll(async () => {
    await t?.gh.executor.jobs.settle();
    await t?.close();
  });

  it('follows a large apply with plain progress lines on stderr (not a terminal) and prints the result as a direct apply does', async () => {
    const file = join(dir, 'large.yaml');
    writeFileSync(
      file,
      stringify({ policies: Array.from({ length: ITEMS }, (_, i) => ({ name: `cli-${i}`, rateLimits: [{ window: 'minute', limit: 10 + i }] })) }),
    );
    // Followed as a job from the start: how fast the machine is never decides whether there is a job to follow.
    const out = await runCli(['apply', '-f', file, '--answer-within', '0'], env);
    expect(out.code, out.stderr).toBe(0);
    const lines = out.stderr.trim().split('\n');
    const applying = lines.map((l) => /^job (job_\S+) running: applying (\d+)\/(\d+) \((\d+)%\)/.exec(l)).filter((m) => m !== null);
    // A line per tenth at most, rising, out of the whole plan.
    expect(applying.length).toBeGreaterThanOrEqual(1);
    const shares = applying.map((m) => Number(m[4]));
    expect(shares).toEqual([...shares].sort((a, b) => a - b));
    expect(applying.every((m) => Number(m[3]) === ITEMS)).toBe(true);
    expect(lines.at(-1)).toMatch(new RegExp(`^job ${applying[0]![1]} succeeded: done ${ITEMS}/${ITEMS} \\(100%\\)$`));
    expect(out.stdout).toContain(`+ create policies cli-${ITEMS - 1}`);
    expect(out.stdout.trim().split('\n').slice(-2)).toEqual([`Plan: ${ITEMS} to create, 0 to change, 0 to delete.`, 'Applied.']);
  });

  it('detaches with --detach, and jobs watch re-attaches to print the same result', async () => {
    const file = join(dir, 'small.yaml');
    writeFileSync(file, stringify({ policies: [{ name: 'detached', rateLimits: [{ window: 'minute', limit: 5 }] }] }));
    const started = await runCli(['apply', '-f', file, '--detach'], env);
    expect(started.code, started.stderr).toBe(0);
    const id = /^Started job (job_\S+)\. Follow it with: gatehouse jobs watch \1$/m.exec(started.stdout)?.[1];
    expect(id).toBeDefined();
    const watched = await runCli(['jobs', 'watch', id!], env);
    expect(watched.code, watched.stderr).toBe(0);
    expect(watched.stdout).toContain('+ create policies detached');
    expect(watched.stdout.trim().split('\n').at(-1)).toBe('Applied.');
    expect(watched.stderr).toMatch(new RegExp(`job ${id} succeeded: done 1/1 \\(100%\\)`));
    // The generated commands list and show it.
    const listed = await runCli(['jobs', 'list', '--json'], env);
    expect(JSON.parse(listed.stdout).items.map((j: { id: string }) => j.id)).toContain(id);
    expect((await call(t.api, t.adminToken, 'GET', '/policies?q=detached')).body.items).toHaveLength(1);
  });

  it('reports a failed job as apply reports a failed apply, and keeps --sync for a single request', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, stringify({ clients: [{ name: 'c', policy: 'no-such-policy' }] }));
    const failed = await runCli(['apply', '-f', bad, '--detach'], env);
    const id = /Started job (job_\S+)\./.exec(failed.stdout)?.[1];
    const watched = await runCli(['jobs', 'watch', id!], env);
    expect(watched.code).toBe(1);
    expect(watched.stderr).toMatch(/error: .*no-such-policy/);
    const sync = await runCli(['apply', '-f', bad, '--sync'], env);
    expect(sync.code).toBe(1);
    expect(sync.stderr).toMatch(/no-such-policy/);
  });
});
