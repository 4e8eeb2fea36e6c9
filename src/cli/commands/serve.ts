import type { Command } from 'commander';
import { print } from '../output.js';
import { settleHeap } from '../settle-heap.js';
import { configFromEnv } from '../settings.js';

/** `gatehouse serve`: runs a gateway node until SIGINT/SIGTERM. */
export function serveCommand(program: Command): void {
  program
    .command('serve')
    .description('Run the gateway (proxy, admin API, OAuth) on its listener(s)')
    .option('--host <host>', 'address to listen on (GATEHOUSE_HOST)')
    .option('-p, --port <port>', 'port of the main listener (GATEHOUSE_PORT)', Number)
    .option('--admin-port <port>', 'serve admin surfaces on their own port (GATEHOUSE_ADMIN_PORT)', Number)
    .option('--tls-cert <file>', 'serve TLS with this certificate chain (PEM, GATEHOUSE_TLS_CERT); reloaded when it changes')
    .option('--tls-key <file>', 'the private key (PEM) of --tls-cert (GATEHOUSE_TLS_KEY)')
    .option('--demo', 'start a sample upstream and create demo data')
    .option('--json', 'print the startup summary as JSON')
    .action(async (opts: { host?: string; port?: number; adminPort?: number; tlsCert?: string; tlsKey?: string; demo?: boolean; json?: boolean }) => {
      if ((opts.tlsCert === undefined) !== (opts.tlsKey === undefined)) {
        process.stderr.write('--tls-cert and --tls-key go together\n');
        process.exit(2);
      }
      const config = {
        ...configFromEnv(program.opts()),
        ...(opts.host ? { host: opts.host } : {}),
        ...(opts.port !== undefined ? { port: opts.port } : {}),
        ...(opts.adminPort !== undefined ? { adminPort: opts.adminPort } : {}),
        ...(opts.tlsCert && opts.tlsKey ? { tls: { certFile: opts.tlsCert, keyFile: opts.tlsKey } } : {}),
        ...(opts.demo ? { demo: true } : {}),
        ...(opts.json ? { logLevel: 'warn' as const } : {}),
      };
      // Loaded here so other commands do not pay for (or print warnings from) the HTTP stack.
      const { startGatehouse } = await import('../../node/index.js');
      const gh = await startGatehouse(config);
      settleHeap();
      const { urls, firstAdmin, demo } = gh;
      print(Boolean(opts.json), { urls, firstAdmin, demo }, () =>
        [
          '',
          'Gatehouse is running.',
          `  Proxy:            ${urls.proxy}`,
          `  Admin API:        ${urls.adminApi}`,
          `  API reference:    ${urls.apiReference}`,
          `  OAuth issuer:     ${urls.issuer}`,
          ...(firstAdmin
            ? [
                '',
                'First login (shown once):',
                `  username: ${firstAdmin.username}`,
                `  password: ${firstAdmin.generatedPassword ?? '(from GATEHOUSE_ADMIN_PASSWORD)'}`,
              ]
            : []),
          ...(demo ? ['', `Demo: a sample orders API (${demo.upstream}) is published at /demo/orders/v1. Try:`, `  ${demo.curl}`] : []),
          '',
        ].join('\n'),
      );
      const stop = async () => {
        await gh.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
