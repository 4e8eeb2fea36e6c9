import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import type { User } from '../../core/index.js';
import type { Registry } from '../../management/registry.js';
import { connect } from '../connect.js';
import { fail, print } from '../output.js';
import { parseScope, readStdin } from './scope.js';

/** `gatehouse users add`: a local user of the built-in identity provider, with a role. */
export function usersCommand(program: Command, registry: Registry): void {
  const users = program.command('users').description('Manage local users of the built-in identity provider');
  users
    .command('add <name>')
    .description('Create a user with a role; prints a generated password once unless --password-stdin')
    .requiredOption('--role <role>', 'viewer | modifier | admin')
    .option('--scope <types>', 'for modifiers: comma-separated resource types they may change')
    .option('--collections <ids>', 'for modifiers: comma-separated collection ids they may change')
    .option('--password-stdin', 'read the password from standard input')
    .option('--server <url>', 'create it through this gateway’s admin API instead of the local data directory')
    .option('--json', 'machine-readable output')
    .action(async (name: string, opts: { role: string; scope?: string; collections?: string; passwordStdin?: boolean; json?: boolean }) => {
      const json = Boolean(opts.json);
      try {
        const password = opts.passwordStdin ? (await readStdin()).trim() : randomBytes(15).toString('base64url');
        // Bootstrap: local (the data directory) unless a gateway is named (--server, GATEHOUSE_SERVER).
        const transport = await connect({ ...program.opts(), ...opts }, { preferLocal: true });
        try {
          const user = (await transport.run(registry.get('users.create')!, {
            username: name,
            password,
            role: opts.role,
            scope: parseScope(opts.scope, opts.collections),
          })) as User;
          const shown = opts.passwordStdin ? undefined : password;
          print(json, { user, role: opts.role, ...(shown ? { password: shown } : {}) }, () =>
            [`Created user ${user.username} (${user.id}) with role ${opts.role}.`, ...(shown ? [`Password (shown once): ${shown}`] : [])].join('\n'),
          );
        } finally {
          await transport.close();
        }
      } catch (err) {
        fail(json, err);
      }
    });
}
