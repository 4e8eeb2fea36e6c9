import type { Command } from 'commander';
import type { Job } from '../../core/index.js';
import type { Operation } from '../../management/operation.js';
import type { Registry } from '../../management/registry.js';
import { connect } from '../connect.js';
import { jobError, watchJob } from '../job-watch.js';
import { fail } from '../output.js';
import { renderPlan } from './declarative.js';

/**
 * `gatehouse jobs watch <id>`: follows a background job (an apply started with `--detach`, or one
 * whose client went away) to its end. `jobs list` and `jobs get` come from the registry.
 */
export function jobsCommands(program: Command, registry: Registry): void {
  const getOp = registry.get('jobs.get') as Operation;
  const jobs = program.command('jobs').description('Background jobs (declarative applies): list, show, watch');
  jobs
    .command('watch')
    .description('Follow a job’s progress until it ends, then print its result (exit code 1 if it failed); Ctrl-C leaves it running')
    .argument('<id>')
    .option('--server <url>', 'the gateway (GATEHOUSE_SERVER; default: the last login)')
    .option('--json', 'print the finished job as JSON')
    .action(async (id: string, opts: { server?: string; json?: boolean }) => {
      const json = opts.json === true;
      try {
        const transport = await connect({ ...program.opts(), ...opts });
        try {
          const done: Job = await watchJob(transport, getOp, id, { tty: process.stderr.isTTY === true, write: (t) => process.stderr.write(t) });
          if (json) process.stdout.write(`${JSON.stringify(done, null, 2)}\n`);
          else if (done.state === 'succeeded') process.stdout.write(`${describe(done)}\n`);
          if (done.state !== 'succeeded') {
            if (json) process.exitCode = 1;
            else throw jobError(done);
          }
        } finally {
          await transport.close();
        }
      } catch (err) {
        fail(json, err);
        process.exitCode = 1;
      }
    });
}

/** A finished apply reads as `gatehouse apply` prints it; any other job's result as JSON. */
function describe(job: Job): string {
  const result = job.result as { changes?: unknown[]; summary?: unknown } | undefined;
  if (job.operation === 'config.apply' && result?.changes && result.summary) {
    return result.changes.length === 0
      ? 'No changes: the gateway already matched the file.'
      : `${renderPlan(result as Parameters<typeof renderPlan>[0])}\nApplied.`;
  }
  return JSON.stringify(job.result ?? null, null, 2);
}
