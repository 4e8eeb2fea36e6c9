// Preloaded with `--import`: records each specifier of a watched package (MODULE_WATCH_PREFIX,
// `@modelcontextprotocol/` by default) this process resolves, once, as a line of the file
// MODULE_WATCH_LOG names. Written synchronously, so the file is current when a request is answered.
import { appendFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const log = process.env.MODULE_WATCH_LOG;
const prefix = process.env.MODULE_WATCH_PREFIX ?? '@modelcontextprotocol/';
const seen = new Set();

if (log) {
  registerHooks({
    resolve(specifier, context, nextResolve) {
      if (specifier.startsWith(prefix) && !seen.has(specifier)) {
        seen.add(specifier);
        appendFileSync(log, `${specifier}\n`);
      }
      return nextResolve(specifier, context);
    },
  });
}
