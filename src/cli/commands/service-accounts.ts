import type { Command } from 'commander';
import { Role, RoleScope } from '../../core/index.js';
import { parseOrThrow } from '../../management/validation.js';
import { openLocalPlane } from '../../node/local.js';
import { fail, print } from '../output.js';
import { configFromEnv } from '../settings.js';
import { parseScope } from './scope.js';

/** `gatehouse service-accounts create`: a CI identity (client credentials) with its own role. */
export function serviceAccountsCommand(program: Command): void {
  const sa = program.command('service-accounts').description('Manage service accounts (OAuth client-credentials identities)');
  sa.command('create <name>')
    .description('Create a service account; prints its client id and secret once')
    .requiredOption('--role <role>', 'viewer | modifier | admin')
    .option('--scope <types>', 'for modifiers: comma-separated resource types it may change')
    .option('--collections <ids>', 'for modifiers: comma-separated collection ids it may change')
    .option('--json', 'machine-readable output')
    .action(async (name: string, opts: { role: string; scope?: string; collections?: string; json?: boolean }) => {
      const json = Boolean(opts.json);
      try {
        const plane = await openLocalPlane(configFromEnv(program.opts()));
        try {
          const out = await plane.executor.execute(
            'service-accounts.create',
            { name, role: parseOrThrow(Role, opts.role), scope: parseOrThrow(RoleScope, parseScope(opts.scope, opts.collections)) },
            plane.call,
          );
          print(json, { clientId: out.serviceAccount.clientId, clientSecret: out.clientSecret, serviceAccount: out.serviceAccount }, () =>
            [
              `Created service account ${name} with role ${opts.role}.`,
              `Client ID:     ${out.serviceAccount.clientId}`,
              `Client secret: ${out.clientSecret}   (shown once)`,
            ].join('\n'),
          );
        } finally {
          await plane.close();
        }
      } catch (err) {
        fail(json, err);
      }
    });
}
