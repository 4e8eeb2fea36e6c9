import { describe, expect, it } from 'vitest';
import { JOB_STALE_MS, type JobRow, jobOf } from './jobs.js';

const at = (ms: number) => new Date(ms).toISOString();
const T0 = Date.parse('2026-11-25T10:00:00Z');

function row(patch: Partial<JobRow>): JobRow {
  return {
    id: 'job_1',
    operation: 'config.apply',
    state: 'running',
    phase: 'applying',
    created_by: 'user:usr_1',
    created_by_name: 'admin',
    channel: 'cli',
    request_id: 'req-1',
    node: 'node_a',
    items_planned: 1_000,
    items_applied: 250,
    created_at: at(T0),
    started_at: at(T0),
    phase_started_at: at(T0),
    updated_at: at(T0 + 10_000),
    finished_at: null,
    audit_entries: null,
    audit_first_seq: null,
    audit_last_seq: null,
    result: null,
    error: null,
    ...patch,
  };
}

describe('jobOf', () => {
  it('estimates the time left from the rate since the phase began', () => {
    // 250 items in 10 s: 750 left take 30 s.
    expect(jobOf(row({}), T0 + 11_000)).toMatchObject({ state: 'running', etaSeconds: 30, itemsApplied: 250, itemsPlanned: 1_000 });
    expect(jobOf(row({ items_applied: 0 }), T0 + 11_000).etaSeconds).toBeNull();
    expect(jobOf(row({ phase: 'planning' }), T0 + 11_000).etaSeconds).toBeNull();
  });

  it('shows a running job whose heartbeat went silent as abandoned, never running', () => {
    const shown = jobOf(row({}), T0 + 10_000 + JOB_STALE_MS + 1);
    expect(shown).toMatchObject({ state: 'abandoned', phase: 'done', etaSeconds: null, error: { code: 'GATEHOUSE_JOB_ABANDONED' } });
    expect(jobOf(row({ state: 'succeeded', phase: 'done' }), T0 + 10 * JOB_STALE_MS).state).toBe('succeeded');
  });

  it('on SQLite goes by whether the job’s process lives, not by its heartbeat (which waits for the commit there)', () => {
    const late = T0 + 10 * JOB_STALE_MS;
    expect(jobOf(row({ node: `node_${process.pid}_x` }), late, true).state).toBe('running');
    expect(jobOf(row({ node: 'node_999999999_x', updated_at: at(late) }), late, true).state).toBe('abandoned');
    expect(jobOf(row({ node: 'node_a' }), late, true).state).toBe('abandoned');
  });

  it('gives the stored result and error back as JSON, and the audit range once known', () => {
    const done = jobOf(
      row({ state: 'succeeded', phase: 'done', result: '{"summary":{"create":1}}', audit_entries: 2, audit_first_seq: 7, audit_last_seq: 8 }),
      T0,
    );
    expect(done).toMatchObject({ result: { summary: { create: 1 } }, audit: { entries: 2, firstSeq: 7, lastSeq: 8 }, error: null });
    expect('result' in jobOf(row({}), T0)).toBe(false);
  });
});
