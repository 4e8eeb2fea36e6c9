import { getHeapSpaceStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { collectAndHoldYoungGeneration } from './reclaim.js';

const youngBytes = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_size;
// Its second semi-space is committed again at the first scavenge after the collection: the size held is the size then.
const scavenged = () => {
  keep(4);
  return youngBytes();
};

/** Allocates ~`mb` MB of small objects that all stay reachable, so they survive scavenges (what makes V8 grow the young generation). */
function keep(mb: number): object[] {
  const kept: object[] = [];
  for (let i = 0; i < mb * 16_384; i++) kept.push({ i, at: [i] });
  return kept;
}

describe('collectAndHoldYoungGeneration', () => {
  it('shrinks the young generation and keeps it at that size while held; released, it grows again', () => {
    keep(32);
    const release = collectAndHoldYoungGeneration();
    const held = scavenged();
    const during = keep(32);
    expect(youngBytes()).toBe(held);
    release();
    // A second release does not end someone else's hold: there is none, so nothing changes.
    release();
    const after = keep(32);
    expect(youngBytes()).toBeGreaterThan(held);
    expect(during.length + after.length).toBeGreaterThan(0);
  });

  it('ends the hold only when the last of two overlapping holds is released', () => {
    const first = collectAndHoldYoungGeneration();
    const second = collectAndHoldYoungGeneration();
    const held = scavenged();
    first();
    const during = keep(32);
    expect(youngBytes()).toBe(held);
    second();
    const after = keep(32);
    expect(youngBytes()).toBeGreaterThan(held);
    expect(during.length + after.length).toBeGreaterThan(0);
  });
});
