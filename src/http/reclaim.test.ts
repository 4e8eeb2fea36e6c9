import { getHeapSpaceStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { collectAndHoldYoungGeneration } from './reclaim.js';

const youngBytes = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_size;
// Its second semi-space is committed again at the first scavenge after the collection: the size held is the size then.
const scavenged = () => {
  keep(4);
  return youngBytes();
};

/** Allocates ~`mb` MB of small objects that stay reachable while it runs, so they survive scavenges (what makes V8 grow the young generation). */
function keep(mb: number): number {
  const kept: object[] = [];
  for (let i = 0; i < mb * 16_384; i++) kept.push({ i, at: [i] });
  return kept.length;
}

describe('collectAndHoldYoungGeneration', () => {
  it('shrinks the young generation and keeps it at that size while held; released, it grows again', () => {
    keep(32);
    const release = collectAndHoldYoungGeneration();
    const held = scavenged();
    keep(32);
    expect(youngBytes()).toBe(held);
    release();
    // Released twice, the count of holds must not go below zero (a later hold would then never take).
    release();
    keep(32);
    expect(youngBytes()).toBeGreaterThan(held);
    const again = collectAndHoldYoungGeneration();
    const heldAgain = scavenged();
    keep(32);
    expect(youngBytes()).toBe(heldAgain);
    again();
  });

  it('ends the hold only when the last of two overlapping holds is released', () => {
    const first = collectAndHoldYoungGeneration();
    const second = collectAndHoldYoungGeneration();
    const held = scavenged();
    first();
    keep(32);
    expect(youngBytes()).toBe(held);
    second();
    keep(32);
    expect(youngBytes()).toBeGreaterThan(held);
  });
});
