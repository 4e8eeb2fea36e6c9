import { serveCommand } from './commands/serve.js';
import { rootCommand } from './root.js';

// `gatehouse serve` alone (main.ts picks it): the other commands' modules (YAML, remote transports,
// output rendering, ~1 MB of heap) are never loaded into a running gateway.
const program = rootCommand();
serveCommand(program);
await program.parseAsync(process.argv);
