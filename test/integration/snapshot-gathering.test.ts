import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GatehouseConfig } from '../../src/core/index.js';
import { loadSnapshot } from '../../src/gateway/snapshot/compile.js';
import { createSnapshotHolder, GATHER_MS } from '../../src/gateway/snapshot/holder.js';
import { openManagementPlane } from '../../src/node/plane.js';
import type { ConfigChange } from '../../src/store/change-feed.js';
import { cleanupsAfterAll, LOCAL_ADMIN_CALL } from '../support/local-admin.js';

const call = LOCAL_ADMIN_CALL;
const cleanups = cleanupsAfterAll();
afterEach(() => {
  vi.useRealTimers();
});

/** A writer's holder (its executor waits on it) and a second holder that only hears the feed, as another node's does. */
async function twoHolders() {
  const dataDir = mkdtempSync(join(tmpdir(), 'gh-gathering-'));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const plane = await openManagementPlane(GatehouseConfig.parse({ dataDir, logLevel: 'silent' }), () => {});
  const writer = await createSnapshotHolder({ db: plane.database.db, feed: plane.changes, reconcileMs: 0 });
  plane.applyCommitsWith((change) => writer.apply(change));
  const listener = await createSnapshotHolder({ db: plane.database.db, feed: plane.changes, reconcileMs: 0 });
  const heard: ConfigChange[] = [];
  plane.changes.subscribe((change) => heard.push(change));
  cleanups.push(async () => {
    writer.close();
    listener.close();
    await plane.close();
  });
  const run = (name: string): Promise<{ id: string }> =>
    plane.executor.execute('policies.create', { name, rateLimits: [{ window: 'second', limit: 5 }] }, call) as Promise<{ id: string }>;
  const names = (snapshot: { policies: ReadonlyMap<string, { name: string }> }) => new Set([...snapshot.policies.values()].map((p) => p.name));
  return { plane, writer, listener, heard, run, names };
}

describe('changes heard from the feed share one snapshot pass', () => {
  it('builds a burst heard within one window together, while the writer reads its own writes at once', async () => {
    // Only the window's timer is faked: the passes' own turns of the loop and the store run as ever.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { plane, writer, listener, heard, run, names } = await twoHolders();
    const before = listener.current();
    await run('first');
    await run('second');
    // The writer answered each call once its change was live.
    expect(names(writer.current())).toEqual(new Set(['first', 'second']));
    // The listener has built nothing yet: both wait in one window.
    expect(listener.current()).toBe(before);
    await vi.advanceTimersByTimeAsync(GATHER_MS);
    // The window's pass (applying a change already handed over resolves with it).
    await listener.apply(heard[heard.length - 1]!);
    expect(names(listener.current())).toEqual(new Set(['first', 'second']));
    expect(listener.version()).toBe(writer.version());
    expect(new Map(listener.current().policies)).toEqual(new Map((await loadSnapshot(plane.database.db)).snapshot.policies));
  });

  it('builds at once a heard change a caller then waits on, with whatever else was gathered', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { writer, listener, heard, run, names } = await twoHolders();
    await run('gathered');
    await run('waited-on');
    // No timer advances: were the window left to close by itself, this would never resolve.
    await listener.apply(heard[heard.length - 1]!);
    expect(names(listener.current())).toEqual(new Set(['gathered', 'waited-on']));
    expect(listener.version()).toBe(writer.version());
  });
});
