import { createRegistry } from '../management/registry.js';
import { auditCommand } from './commands/audit.js';
import { declarativeCommands } from './commands/declarative.js';
import { jobsCommands } from './commands/jobs.js';
import { loginCommands } from './commands/login.js';
import { logsCommands } from './commands/logs.js';
import { resourceCommands } from './commands/resources.js';
import { secretsCommand } from './commands/secrets.js';
import { serveCommand } from './commands/serve.js';
import { serviceAccountsCommand } from './commands/service-accounts.js';
import { usersCommand } from './commands/users.js';
import type { Command } from 'commander';
import { rootCommand } from './root.js';

/** The `gatehouse` command line with every command, not yet parsed (the docs generator walks it too). */
export function buildProgram(): Command {
  const program = rootCommand();
  const registry = createRegistry();
  serveCommand(program);
  loginCommands(program);
  usersCommand(program, registry);
  serviceAccountsCommand(program, registry);
  auditCommand(program);
  secretsCommand(program);
  declarativeCommands(program, registry);
  jobsCommands(program, registry);
  logsCommands(program, registry);
  // Last, so the hand-written bootstrap commands above keep their names.
  resourceCommands(program, registry);
  return program;
}
