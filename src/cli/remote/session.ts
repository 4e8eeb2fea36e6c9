import { CLI_CLIENT_ID } from '../../identity/clients.js';
import { clientCredentials, discover, refreshTokens, type Tokens } from './oauth-client.js';
import { LoginStore, normalizeServer } from './login-store.js';

/** A gateway the CLI talks to, and a way to a valid access token for its admin API. */
export interface RemoteTarget {
  server: string;
  /** The admin API base URL (its resource identifier). */
  api: string;
  /** How the CLI is signed in: a stored user login or a service account (CI). */
  mode: 'login' | 'client-credentials';
  token(): Promise<string>;
}

/** Flags every remote command takes. */
export interface RemoteFlags {
  server?: string;
}

const REFRESH_MARGIN_MS = 60_000;

/** The server named by `--server`, else GATEHOUSE_SERVER; the last login's only when `fallback` allows. */
export function chosenServer(flags: RemoteFlags, env: NodeJS.ProcessEnv, fallback: boolean): string | undefined {
  const named = flags.server ?? env.GATEHOUSE_SERVER;
  if (named) return normalizeServer(named);
  return fallback ? new LoginStore(env).current() : undefined;
}

/**
 * The target of a remote command: CI mode when GATEHOUSE_CLIENT_ID and GATEHOUSE_CLIENT_SECRET are
 * set (client-credentials grant, nothing stored), else the stored login for the server, refreshed
 * when it is about to expire.
 */
export async function remoteTarget(flags: RemoteFlags, env: NodeJS.ProcessEnv = process.env): Promise<RemoteTarget> {
  const server = chosenServer(flags, env, true);
  if (!server) throw new Error('No gateway named: pass --server URL, set GATEHOUSE_SERVER, or run gatehouse login --server URL first.');
  const clientId = env.GATEHOUSE_CLIENT_ID;
  const clientSecret = env.GATEHOUSE_CLIENT_SECRET;
  if (clientId && clientSecret) {
    const discovery = await discover(server);
    let tokens: Tokens | undefined;
    return {
      server,
      api: discovery.resource,
      mode: 'client-credentials',
      async token() {
        if (!tokens || tokens.expiresAt - Date.now() < REFRESH_MARGIN_MS) tokens = await clientCredentials(discovery, clientId, clientSecret);
        return tokens.accessToken;
      },
    };
  }
  const store = new LoginStore(env);
  const login = store.get(server);
  if (!login) throw new Error(`Not logged in to ${server}: run gatehouse login --server ${server}`);
  return {
    server,
    api: login.resource,
    mode: 'login',
    async token() {
      const current = store.get(server) ?? login;
      if (current.expiresAt - Date.now() > REFRESH_MARGIN_MS) return current.accessToken;
      if (!current.refreshToken) throw new Error(`Your login to ${server} has expired: run gatehouse login --server ${server}`);
      let fresh: Tokens;
      try {
        fresh = await refreshTokens(current.tokenEndpoint, current.clientId ?? CLI_CLIENT_ID, current.refreshToken, current.resource);
      } catch (err) {
        throw new Error(
          `Your login to ${server} could not be refreshed (${err instanceof Error ? err.message : String(err)}): run gatehouse login --server ${server}`,
        );
      }
      store.save({ ...current, accessToken: fresh.accessToken, refreshToken: fresh.refreshToken ?? current.refreshToken, expiresAt: fresh.expiresAt }, false);
      return fresh.accessToken;
    },
  };
}
