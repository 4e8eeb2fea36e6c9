import type { Command } from 'commander';
import { openLocalPlane } from '../../node/local.js';
import { fail, print } from '../output.js';
import { configFromEnv } from '../settings.js';

/** `gatehouse audit verify`: exit 0 on an intact hash chain, 1 naming the first entry that breaks it. */
export function auditCommand(program: Command): void {
  const audit = program.command('audit').description('Inspect the audit trail');
  audit
    .command('verify')
    .description('Recompute the audit hash chain; exits non-zero at the first broken entry')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const json = Boolean(opts.json);
      try {
        const plane = await openLocalPlane(configFromEnv(program.opts()));
        try {
          const verdict = await plane.executor.execute('audit-logs.verify', {}, plane.call);
          print(json, verdict, () =>
            verdict.ok
              ? `Audit chain intact: ${verdict.entries} entries, head ${verdict.head.slice(0, 16)}…`
              : `Audit chain BROKEN at entry #${verdict.brokenAt.seq} (${verdict.brokenAt.id}): ${verdict.brokenAt.reason}. ${verdict.entries} entries before it are intact.`,
          );
          if (!verdict.ok) process.exitCode = 1;
        } finally {
          await plane.close();
        }
      } catch (err) {
        fail(json, err);
      }
    });
}
