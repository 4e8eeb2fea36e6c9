import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { CLI_CLIENT_ID } from '../../identity/clients.js';
import { fail } from '../output.js';
import { LoginStore, normalizeServer } from '../remote/login-store.js';
import { discover, loginWithBrowser, loginWithDevice, revoke } from '../remote/oauth-client.js';
import { chosenServer } from '../remote/session.js';

/** Opens a URL in the user's browser, if the system has a way to; the URL is always printed too. */
function openBrowser(url: string): void {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No opener: the printed URL is enough.
  }
}

/** `gatehouse login` and `gatehouse logout`: sign in to a gateway as yourself; tokens stored per server. */
export function loginCommands(program: Command): void {
  program
    .command('login')
    .description('Sign in to a gateway as yourself (browser, or --device for a code to enter elsewhere); tokens are stored per server')
    .option('--server <url>', 'the gateway (GATEHOUSE_SERVER)')
    .option('--device', 'use a code entered on another device (RFC 8628) instead of a browser on this machine')
    .option('--no-browser', 'print the sign-in URL without opening a browser')
    .option('--client-id <id>', 'the OAuth client of the CLI (an external IdP’s; default gatehouse-cli)')
    .action(async (opts: { server?: string; device?: boolean; browser: boolean; clientId?: string }) => {
      try {
        const named = opts.server ?? process.env.GATEHOUSE_SERVER;
        if (!named) throw new Error('Name the gateway: gatehouse login --server URL (or set GATEHOUSE_SERVER).');
        const server = normalizeServer(named);
        const clientId = opts.clientId ?? process.env.GATEHOUSE_CLI_CLIENT_ID ?? CLI_CLIENT_ID;
        const d = await discover(server);
        const tokens = opts.device
          ? await loginWithDevice(d, clientId, (p) => {
              process.stderr.write(
                `To sign in, open ${p.verificationUri} on any device and enter the code\n\n    ${p.userCode}\n\n` +
                  (p.verificationUriComplete ? `(or open ${p.verificationUriComplete})\n` : '') +
                  'Waiting…\n',
              );
            })
          : await loginWithBrowser(d, clientId, (url) => {
              process.stderr.write(`Opening your browser to sign in. If it does not open, visit:\n\n    ${url}\n\nWaiting…\n`);
              if (opts.browser) openBrowser(url);
            });
        new LoginStore().save({
          server,
          issuer: d.issuer,
          tokenEndpoint: d.tokenEndpoint,
          ...(d.revocationEndpoint ? { revocationEndpoint: d.revocationEndpoint } : {}),
          resource: d.resource,
          clientId,
          accessToken: tokens.accessToken,
          ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
          expiresAt: tokens.expiresAt,
          ...(tokens.user ? { user: tokens.user } : {}),
        });
        process.stderr.write(`Logged in to ${server}${tokens.user ? ` as ${tokens.user}` : ''}.\n`);
      } catch (err) {
        fail(false, err);
        process.exitCode = 1;
      }
    });

  program
    .command('logout')
    .description('Forget (and revoke) your login to a gateway')
    .option('--server <url>', 'the gateway (GATEHOUSE_SERVER; default: the last one you logged in to)')
    .action(async (opts: { server?: string }) => {
      try {
        const server = chosenServer(opts, process.env, true);
        const store = new LoginStore();
        const login = server ? store.get(server) : undefined;
        if (!server || !login) {
          process.stderr.write(`Not logged in${server ? ` to ${server}` : ''}.\n`);
          return;
        }
        if (login.refreshToken && login.revocationEndpoint) await revoke(login.revocationEndpoint, login.clientId, login.refreshToken).catch(() => false);
        store.remove(server);
        process.stderr.write(`Logged out of ${server}.\n`);
      } catch (err) {
        fail(false, err);
        process.exitCode = 1;
      }
    });
}
