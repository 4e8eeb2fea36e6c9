#!/usr/bin/env node
import { Command } from 'commander';
import { auditCommand } from './commands/audit.js';
import { serveCommand } from './commands/serve.js';
import { serviceAccountsCommand } from './commands/service-accounts.js';
import { usersCommand } from './commands/users.js';

const program = new Command()
  .name('gatehouse')
  .description('Gatehouse: the API gateway that is also an AI gateway')
  .option('--data-dir <dir>', 'data directory for the embedded store and key (GATEHOUSE_DATA_DIR, default ./.gatehouse)');

serveCommand(program);
usersCommand(program);
serviceAccountsCommand(program);
auditCommand(program);

await program.parseAsync(process.argv);
