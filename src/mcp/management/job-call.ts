import { GatehouseError, type Job } from '../../core/index.js';
import type { CallerGrants, Executor, OperationCall } from '../../management/executor.js';

/** How long a tool call that may run as a job waits for it by default: most applies end within it and answer as before. */
export const DEFAULT_WAIT_SECONDS = 10;
/** The longest a caller may ask to wait: MCP clients give up on a tool call after a minute or so. */
export const MAX_WAIT_SECONDS = 50;

/** What a tool call that was left running as a job answers: the job as stored, and how to follow it. */
export interface StartedJobAnswer {
  job: Job;
  next: string;
}

/**
 * Runs an operation that may run as a job (a declarative apply) from the Management MCP: always as
 * a job, so a client that gives up on a long call (MCP clients time tool calls out, ~60 s) leaves a
 * stored answer behind rather than an operator unsure whether it happened. A job that ends within
 * `waitSeconds` is answered as the direct call would be (its result, or its error thrown); one that
 * does not is answered with the job (id, phase, items planned and applied) and how to read it.
 */
export async function callAsJob(
  executor: Executor,
  name: string,
  params: Record<string, unknown>,
  call: Omit<OperationCall, 'dryRun' | 'job'>,
  grants: CallerGrants,
  waitSeconds: number,
): Promise<unknown> {
  const started = await executor.startJob(name, params, call, grants);
  const outcome = await within(started.finished, waitSeconds * 1000);
  if (!outcome) {
    const answer: StartedJobAnswer = {
      job: started.job,
      next: `Still running in the background. Read its progress and, once finished, its result with manage_jobs {"action":"get","params":{"id":"${started.job.id}","brief":true}} (without brief, the result lists every change).`,
    };
    // The job as it stands now, not as it was stored at the start: the phase and items it has reached.
    return { ...answer, job: (await executor.dispatch('jobs.get', { id: started.job.id }, call, grants).catch(() => started.job)) as Job };
  }
  if (!outcome.ok) throw outcome.error instanceof GatehouseError ? outcome.error : new GatehouseError('GATEHOUSE_INTERNAL');
  return outcome.result;
}

/** What `promise` settles to within `ms`, or null once that time has passed. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  if (ms <= 0) return null;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
