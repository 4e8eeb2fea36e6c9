import { describe, expect, it } from 'vitest';
import type { Job } from '../core/index.js';
import { jobError, progressLine, progressText } from './job-watch.js';

const job = (patch: Partial<Job>): Job => ({
  id: 'job_1',
  operation: 'config.apply',
  state: 'running',
  phase: 'applying',
  createdBy: 'user:usr_1',
  createdByName: 'admin',
  channel: 'cli',
  requestId: 'r',
  itemsPlanned: 200,
  itemsApplied: 50,
  createdAt: '',
  startedAt: null,
  updatedAt: '',
  finishedAt: null,
  etaSeconds: 95,
  audit: null,
  error: null,
  ...patch,
});

describe('job progress as the CLI prints it', () => {
  it('draws a bar on a terminal and a plain line elsewhere, with the time left', () => {
    expect(progressLine(job({}))).toBe(`[${'#'.repeat(8)}${'.'.repeat(22)}] 50/200 applying · about 1 min 35 s left`);
    expect(progressText(job({}))).toBe('job job_1 running: applying 50/200 (25%), about 1 min 35 s left');
    expect(progressText(job({ itemsPlanned: null, phase: 'planning', etaSeconds: null }))).toBe('job job_1 running: planning');
  });

  it('turns a failed job back into the error the operation answered', () => {
    const err = jobError(job({ state: 'failed', error: { code: 'GATEHOUSE_REFERENCE_NOT_FOUND', message: 'no policy x', details: [{ path: 'clients.0' }] } }));
    expect([err.code, err.status, err.message, err.details]).toEqual(['GATEHOUSE_REFERENCE_NOT_FOUND', 422, 'no policy x', [{ path: 'clients.0' }]]);
    expect(jobError(job({ state: 'abandoned', error: { code: 'NOT_OURS', message: 'x' } })).code).toBe('GATEHOUSE_INTERNAL');
  });
});
