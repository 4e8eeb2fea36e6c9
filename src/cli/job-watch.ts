import { type ErrorCode, ERRORS, FINISHED_JOB_STATES, GatehouseError, type Job } from '../core/index.js';
import type { Operation } from '../management/operation.js';
import type { Transport } from './transport.js';

export interface WatchOptions {
  /** Redraw one line (a terminal) instead of printing a line per step. */
  tty: boolean;
  /** Where progress goes (stderr: stdout keeps the result alone). */
  write: (text: string) => void;
  pollMs?: number;
}

/** How long a watcher keeps asking through failures (the gateway restarting, a network blip) before giving up. */
const PATIENCE_MS = 60_000;

function seconds(s: number): string {
  if (s < 60) return `${Math.ceil(s)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

/** The bar of a terminal: items applied of planned, the phase, the time left. */
export function progressLine(job: Job): string {
  const width = 30;
  const planned = job.itemsPlanned;
  const share = planned ? Math.min(1, job.itemsApplied / planned) : 0;
  const filled = Math.round(share * width);
  const bar = planned === null ? '' : `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${job.itemsApplied}/${planned} `;
  const eta = job.etaSeconds === null ? '' : ` · about ${seconds(job.etaSeconds)} left`;
  return `${bar}${job.phase}${eta}`;
}

/** A plain line (logs, CI): the job, its phase, the count and share applied, the time left. */
export function progressText(job: Job): string {
  const planned = job.itemsPlanned;
  const count = planned === null ? '' : ` ${job.itemsApplied}/${planned} (${Math.floor((100 * job.itemsApplied) / Math.max(1, planned))}%)`;
  const eta = job.etaSeconds === null ? '' : `, about ${seconds(job.etaSeconds)} left`;
  return `job ${job.id} ${job.state}: ${job.phase}${count}${eta}`;
}

/** What to print when: every redraw on a terminal; otherwise a line at each new phase and each further tenth. */
class ProgressView {
  #last = '';
  readonly #opts: WatchOptions;
  constructor(opts: WatchOptions) {
    this.#opts = opts;
  }
  show(job: Job): void {
    if (this.#opts.tty) {
      this.#opts.write(`\r\x1b[K${progressLine(job)}`);
      return;
    }
    const tenth = job.itemsPlanned ? Math.floor((10 * job.itemsApplied) / Math.max(1, job.itemsPlanned)) : 0;
    const key = `${job.state}/${job.phase}/${tenth}`;
    if (key === this.#last) return;
    this.#last = key;
    this.#opts.write(`${progressText(job)}\n`);
  }
  end(): void {
    if (this.#opts.tty) this.#opts.write('\r\x1b[K');
  }
}

/** The job's error as the error the operation would have thrown, so it is reported the same way. */
export function jobError(job: Job): GatehouseError {
  const e = job.error;
  const code = e && e.code in ERRORS ? (e.code as ErrorCode) : 'GATEHOUSE_INTERNAL';
  return new GatehouseError(code, e?.message ?? `The job ended ${job.state}.`, e?.details);
}

/**
 * Follows a job until it ends, showing its progress, and returns it finished. Interrupting the
 * watcher leaves the job running at the gateway (it says how to come back); failures to reach the
 * gateway are retried for a minute, since the job does not depend on this client.
 */
export async function watchJob(transport: Transport, getOp: Operation, id: string, opts: WatchOptions): Promise<Job> {
  const view = new ProgressView(opts);
  const onInterrupt = () => {
    view.end();
    opts.write(`The job goes on at the gateway; follow it again with: gatehouse jobs watch ${id}\n`);
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  let failingSince: number | null = null;
  try {
    for (;;) {
      let job: Job;
      try {
        job = (await transport.run(getOp, { id })) as Job;
        failingSince = null;
      } catch (err) {
        const passing = !(err instanceof GatehouseError) || err.status >= 500;
        failingSince ??= Date.now();
        if (!passing || Date.now() - failingSince > PATIENCE_MS) throw err;
        await new Promise((r) => setTimeout(r, 1_000));
        continue;
      }
      view.show(job);
      if (FINISHED_JOB_STATES.includes(job.state)) return job;
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 500));
    }
  } finally {
    view.end();
    process.off('SIGINT', onInterrupt);
  }
}
