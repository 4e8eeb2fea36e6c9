import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { print } from '../output.js';
import { configFromEnv, withDemoDefaults } from '../settings.js';

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
    .option('--workers <n>', 'run N data-plane processes on the same port(s), or `auto` for one per core (GATEHOUSE_WORKERS)')
    .option('--demo', 'start a sample upstream and create demo data')
    .option('--json', 'print the startup summary as JSON')
    .action(
      async (opts: {
        host?: string;
        port?: number;
        adminPort?: number;
        tlsCert?: string;
        tlsKey?: string;
        workers?: string;
        demo?: boolean;
        json?: boolean;
      }) => {
        if ((opts.tlsCert === undefined) !== (opts.tlsKey === undefined)) {
          process.stderr.write('--tls-cert and --tls-key go together\n');
          process.exit(2);
        }
        const workers = parseWorkers(opts.workers ?? process.env.GATEHOUSE_WORKERS);
        if (workers === null) {
          process.stderr.write('--workers takes a whole number from 1 to 64, or auto\n');
          process.exit(2);
        }
        const config = {
          ...(opts.demo ? withDemoDefaults(configFromEnv(program.opts())) : configFromEnv(program.opts())),
          ...(opts.host ? { host: opts.host } : {}),
          ...(opts.port !== undefined ? { port: opts.port } : {}),
          ...(opts.adminPort !== undefined ? { adminPort: opts.adminPort } : {}),
          ...(opts.tlsCert && opts.tlsKey ? { tls: { certFile: opts.tlsCert, keyFile: opts.tlsKey } } : {}),
          ...(opts.demo ? { demo: true } : {}),
          ...(opts.json ? { logLevel: 'warn' as const } : {}),
        };
        // Loaded here so other commands do not pay for (or print warnings from) the HTTP stack.
        const { startGatehouse, startCluster, joinCluster } = await import('../../node/index.js');
        if (cluster.isWorker) {
          // A worker of `--workers`: the primary seeded the demo and prints the summary.
          const link = joinCluster();
          const node = await startGatehouse({ ...config, demo: false }, link);
          link.started({ urls: node.urls });
          let stopping = false;
          const stop = async () => {
            if (stopping) return;
            stopping = true;
            await node.close();
            process.exit(0);
          };
          // Ctrl-C reaches every process of the group: the primary alone decides, and sends SIGTERM.
          process.on('SIGINT', () => {});
          process.once('SIGTERM', stop);
          process.once('disconnect', stop);
          return;
        }
        const gh = workers === undefined ? await startGatehouse(config) : await startCluster(config, workers);
        const { urls, firstAdmin, demo } = gh;
        print(Boolean(opts.json), { urls, firstAdmin, demo, ...(workers ? { workers } : {}) }, () =>
          [
            '',
            'Gatehouse is running.',
            `  Console:          ${urls.console}`,
            `  Proxy:            ${urls.proxy}`,
            `  Admin API:        ${urls.adminApi}`,
            `  API reference:    ${urls.apiReference}`,
            `  OAuth issuer:     ${urls.issuer}`,
            ...(workers ? [`  Workers:          ${workers} (one port, shared)`] : []),
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
      },
    );
}

/** `--workers`: a count, `auto` (one per core), or absent (one process, no cluster); null when invalid. */
function parseWorkers(value: string | undefined): number | undefined | null {
  if (value === undefined || value === '') return undefined;
  if (value === 'auto') return availableParallelism();
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 64 ? n : null;
}
