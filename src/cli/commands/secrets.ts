import type { Command } from 'commander';
import { rotateSecretKey } from '../../node/rotate-key.js';
import { fail, print } from '../output.js';
import { configFromEnv } from '../settings.js';

/** `gatehouse secrets rotate-key`: re-seals every secret at rest under a new master key, in one transaction. */
export function secretsCommand(program: Command): void {
  const secrets = program.command('secrets').description('Secrets at rest');
  secrets
    .command('rotate-key')
    .description('Re-seal every secret under a new master key (GATEHOUSE_NEW_SECRET_KEY, or a random one); restart every node with the new key afterwards')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const json = Boolean(opts.json);
      try {
        const done = await rotateSecretKey(configFromEnv(program.opts()), process.env.GATEHOUSE_NEW_SECRET_KEY || undefined);
        print(json, done, () =>
          [
            `Re-sealed ${done.secrets} secrets and ${done.settings} sealed settings under the new key.`,
            done.keyFile ? `The new key is in ${done.keyFile}.` : null,
            done.newKey ? `New GATEHOUSE_SECRET_KEY (shown once; set it on every node, then restart them):\n  ${done.newKey}` : null,
            done.keyFile === null && done.newKey === null ? 'Set GATEHOUSE_SECRET_KEY to the new key on every node, then restart them.' : null,
          ]
            .filter(Boolean)
            .join('\n'),
        );
      } catch (err) {
        fail(json, err);
      }
    });
}
