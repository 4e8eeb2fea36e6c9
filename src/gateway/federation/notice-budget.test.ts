import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NoticeBudget } from './notice-budget.js';
import type { UpstreamNotification } from './notice-budget.js';

const updated = (uri: string): UpstreamNotification => ({ method: 'notifications/resources/updated', params: { uri } });
const log = (data: string): UpstreamNotification => ({ method: 'notifications/message', params: { level: 'info', data } });
const toolsChanged: UpstreamNotification = { method: 'notifications/tools/list_changed' };

describe('NoticeBudget: what one upstream session passes on', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('passes a burst at once, then coalesces changes and drops the rest; the last change of each kind still arrives', () => {
    const budget = new NoticeBudget({ perSecond: 10, burst: 5, now: Date.now });
    const got: UpstreamNotification[] = [];
    const deliver = (n: UpstreamNotification) => got.push(n);
    for (let i = 0; i < 5; i++) budget.admit('s1', log(`within ${i}`), deliver);
    expect(got).toHaveLength(5);
    // Out of budget: 1,000 updates of two resources, list changes and log lines.
    for (let i = 0; i < 1_000; i++) {
      budget.admit('s1', updated(`r://${i % 2}`), deliver);
      budget.admit('s1', toolsChanged, deliver);
      budget.admit('s1', log(`storm ${i}`), deliver);
    }
    expect(got).toHaveLength(5);
    expect(budget.dropped).toBe(1_000);
    vi.advanceTimersByTime(1_000);
    // Three distinct changes waited: each arrives once.
    expect(
      got
        .slice(5)
        .map((n) => `${n.method} ${String(n.params?.uri ?? '')}`)
        .sort(),
    ).toEqual(['notifications/resources/updated r://0', 'notifications/resources/updated r://1', 'notifications/tools/list_changed ']);
    // Another session has a budget of its own.
    budget.admit('s2', log('other'), deliver);
    expect(got.at(-1)).toEqual(log('other'));
    budget.close();
  });

  it('keeps at most 64 distinct waiting changes per session', () => {
    const budget = new NoticeBudget({ perSecond: 1_000, burst: 1, now: Date.now });
    const got: UpstreamNotification[] = [];
    for (let i = 0; i < 200; i++) budget.admit('s', updated(`r://${i}`), (n) => got.push(n));
    expect(got).toHaveLength(1);
    expect(budget.dropped).toBe(200 - 1 - 64);
    vi.advanceTimersByTime(1_000);
    expect(got).toHaveLength(65);
    budget.close();
  });
});
