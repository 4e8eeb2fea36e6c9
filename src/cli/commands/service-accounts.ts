import type { Command } from 'commander';
import type { ServiceAccount } from '../../core/index.js';
import type { Registry } from '../../management/registry.js';
import { connect } from '../connect.js';
import { fail, print } from '../output.js';
import { parseScope } from './scope.js';

/** `gatehouse service-accounts create`: a CI identity (client credentials) with its own role. */
export function serviceAccountsCommand(program: Command, registry: Registry): void {
  const sa = program.command('service-accounts').description('Manage service accounts (OAuth client-credentials identities)');
  sa.command('create <name>')
    .description('Create a service account; prints its client id and secret once')
    .requiredOption('--role <role>', 'viewer | modifier | admin')
    .option('--scope <types>', 'for modifiers: comma-separated resource types it may change')
    .option('--collections <ids>', 'for modifiers: comma-separated collection ids it may change')
    .option('--act-for-users', 'let it act for people at virtual MCP servers by exchanging their tokens (RFC 8693)')
    .option('--server <url>', 'create it through this gateway’s admin API instead of the local data directory')
    .option('--json', 'machine-readable output')
    .action(async (name: string, opts: { role: string; scope?: string; collections?: string; actForUsers?: boolean; json?: boolean }) => {
      const json = Boolean(opts.json);
      try {
        // Bootstrap: local (the data directory) unless a gateway is named (--server, GATEHOUSE_SERVER).
        const transport = await connect({ ...program.opts(), ...opts }, { preferLocal: true });
        try {
          const out = (await transport.run(registry.get('service-accounts.create')!, {
            name,
            role: opts.role,
            scope: parseScope(opts.scope, opts.collections),
            ...(opts.actForUsers ? { actForUsers: true } : {}),
          })) as { serviceAccount: ServiceAccount; clientSecret: string };
          print(json, { clientId: out.serviceAccount.clientId, clientSecret: out.clientSecret, serviceAccount: out.serviceAccount }, () =>
            [
              `Created service account ${name} with role ${opts.role}.`,
              `Client ID:     ${out.serviceAccount.clientId}`,
              `Client secret: ${out.clientSecret}   (shown once)`,
            ].join('\n'),
          );
        } finally {
          await transport.close();
        }
      } catch (err) {
        fail(json, err);
      }
    });
}
