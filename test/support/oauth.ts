import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AuthorizationServer, type AuthorizationServerOptions, createAuthorizationServer } from '../../src/identity/authorization-server.js';

/** A PKCE S256 verifier and its challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** A minimal cookie jar for one browser-like flow: by name only, which is enough for one host. */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  /** Takes the Set-Cookie headers of a response; expired or emptied cookies are dropped. */
  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => {
        const [k = '', v = ''] = a.trim().split('=');
        if (k.toLowerCase() === 'max-age') return Number(v) <= 0;
        if (k.toLowerCase() === 'expires') return Date.parse(v) <= Date.now();
        return false;
      });
      if (expired || value === '') this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  /** The Cookie request header value. */
  header(): string {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
}

async function discover(issuer: string): Promise<Discovery> {
  const res = await fetch(`${issuer}/.well-known/openid-configuration`);
  if (!res.ok) throw new Error(`discovery failed: ${res.status}`);
  return (await res.json()) as Discovery;
}

export interface AuthorizeOptions {
  issuer: string;
  username: string;
  password: string;
  resource?: string;
  clientId?: string;
  scope?: string;
  /** Override the PKCE parameters (to test refusals); `null` leaves them out. */
  codeChallenge?: string | null;
  codeChallengeMethod?: string | null;
  /** Keep the browser's cookies (its sign-in session) across calls. */
  jar?: CookieJar;
  /** The loopback host of the redirect URI; default 127.0.0.1. */
  redirectHost?: '127.0.0.1' | 'localhost';
  /** The exact redirect URI (a registered client's); default a random loopback port. */
  redirectUri?: string;
  /** What to answer on a consent page; without it the flow stops there. */
  consent?: 'allow' | 'deny';
  /** On a Gateway MCP consent page: the profile to act as (default: the one preselected). */
  profile?: string;
}

export interface AuthorizeResult {
  redirectUri: string;
  verifier: string;
  /** Present when the flow reached the redirect URI with a code. */
  code?: string;
  /** The OAuth error, when the flow reached the redirect URI (or an error page) with one. */
  error?: string;
  /** The `iss` parameter of the authorization response (RFC 9207). */
  iss?: string;
  /** The consent page, when one was shown. */
  consentPage?: string;
  /** Headers of the consent page, when one was shown. */
  consentHeaders?: Headers;
  /** The last HTTP status seen when the flow stopped before the redirect URI. */
  status?: number;
  /** The last HTML page when the flow stopped on one (e.g. the login form again). */
  page?: string;
}

/** Drives the browser part of authorization code + PKCE: auth request, login form, redirects — not the token exchange. */
export async function authorizeWithPassword(opts: AuthorizeOptions): Promise<AuthorizeResult> {
  const { authorization_endpoint } = await discover(opts.issuer);
  const { verifier, challenge } = pkcePair();
  const port = 40_000 + Math.floor(Math.random() * 20_000);
  const redirectUri = opts.redirectUri ?? `http://${opts.redirectHost ?? '127.0.0.1'}:${port}/callback`;
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: opts.clientId ?? 'gatehouse-cli',
    redirect_uri: redirectUri,
    scope: opts.scope ?? 'openid offline_access',
    state: randomBytes(8).toString('hex'),
  });
  const codeChallenge = opts.codeChallenge === undefined ? challenge : opts.codeChallenge;
  const method = opts.codeChallengeMethod === undefined ? 'S256' : opts.codeChallengeMethod;
  if (codeChallenge !== null) params.set('code_challenge', codeChallenge);
  if (method !== null) params.set('code_challenge_method', method);
  if (opts.resource) params.set('resource', opts.resource);

  const outcome = await browse(`${authorization_endpoint}?${params}`, redirectUri, opts);
  return { redirectUri, verifier, ...outcome };
}

export type BrowseOutcome = Omit<AuthorizeResult, 'redirectUri' | 'verifier'> & {
  /** The full URL the flow ended at, when it reached the redirect URI. */ landedAt?: string;
};

/**
 * A browser stand-in: follows redirects from `startUrl`, fills the login form and answers the
 * consent page, and stops when a redirect points at `redirectUri` (without fetching it).
 */
export async function browse(
  startUrl: string,
  redirectUri: string,
  opts: Pick<AuthorizeOptions, 'username' | 'password' | 'jar' | 'consent' | 'profile'>,
): Promise<BrowseOutcome> {
  const jar = opts.jar ?? new CookieJar();
  let url = startUrl;
  let init: RequestInit = { method: 'GET' };
  let submitted = false;
  let consented = false;
  let consentSeen: Pick<AuthorizeResult, 'consentPage' | 'consentHeaders'> = {};
  for (let hop = 0; hop < 20; hop++) {
    if (url.startsWith(redirectUri)) {
      const back = new URL(url).searchParams;
      return {
        landedAt: url,
        ...consentSeen,
        ...(back.get('code') ? { code: back.get('code') as string } : {}),
        ...(back.get('error') ? { error: back.get('error') as string } : {}),
        ...(back.get('iss') ? { iss: back.get('iss') as string } : {}),
      };
    }
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers ?? {}), cookie: jar.header() } });
    jar.store(res);
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      url = new URL(location, url).href;
      init = { method: 'GET' };
      continue;
    }
    const body = await res.text();
    const form = /<form method="post" action="([^"]+)"/.exec(body);
    const csrf = /name="csrf" value="([^"]+)"/.exec(body);
    if (res.status === 200 && form?.[1] && csrf?.[1] && body.includes('name="decision"')) {
      consentSeen = { consentPage: body, consentHeaders: res.headers };
      if (!opts.consent || consented) return { status: res.status, page: body, ...consentSeen };
      consented = true;
      url = new URL(form[1].replace(/&#38;/g, '&'), url).href;
      init = {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf: csrf[1], decision: opts.consent, ...chosenProfile(body, opts.profile) }).toString(),
      };
      continue;
    }
    if (res.status !== 200 || submitted || !form?.[1] || !csrf?.[1] || !body.includes('name="password"')) {
      const error = /<p>([a-z_]+): /.exec(body)?.[1];
      return { status: res.status, page: body, ...(error ? { error } : {}) };
    }
    submitted = true;
    url = new URL(form[1].replace(/&#38;/g, '&'), url).href;
    init = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: csrf[1], username: opts.username, password: opts.password }).toString(),
    };
  }
  throw new Error('too many redirects');
}

/** The profile field of a consent form: the one asked for, else the preselected one; none on other consent pages. */
function chosenProfile(page: string, wanted: string | undefined): Record<string, string> {
  if (wanted) return { profile: wanted };
  const checked = /name="profile" value="([^"]+)" checked/.exec(page);
  return checked?.[1] ? { profile: checked[1] } : {};
}

/** Posts to the token endpoint and returns status and JSON body. */
export async function tokenRequest(
  issuer: string,
  form: Record<string, string>,
  basic?: { clientId: string; clientSecret: string },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const { token_endpoint } = await discover(issuer);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (basic) {
    const encode = (s: string) => encodeURIComponent(s);
    headers.authorization = `Basic ${Buffer.from(`${encode(basic.clientId)}:${encode(basic.clientSecret)}`).toString('base64')}`;
  }
  const res = await fetch(token_endpoint, { method: 'POST', headers, body: new URLSearchParams(form).toString() });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Signs in as a local user through the real login page and returns the tokens for `resource`. */
export async function loginWithPassword(opts: {
  issuer: string;
  username: string;
  password: string;
  resource: string;
  clientId?: 'gatehouse-cli';
  /** Sign in as the console's first-party client instead, with its registered redirect URI. */
  console?: { redirectUri: string };
}): Promise<{ accessToken: string; refreshToken?: string }> {
  const clientId = opts.console ? 'gatehouse-console' : (opts.clientId ?? 'gatehouse-cli');
  const auth = await authorizeWithPassword({ ...opts, clientId, ...(opts.console ? { redirectUri: opts.console.redirectUri } : {}) });
  if (!auth.code) throw new Error(`login failed: ${auth.error ?? auth.status ?? 'no code'}`);
  const { status, body } = await tokenRequest(opts.issuer, {
    grant_type: 'authorization_code',
    code: auth.code,
    redirect_uri: auth.redirectUri,
    code_verifier: auth.verifier,
    client_id: clientId,
    resource: opts.resource,
  });
  if (status !== 200 || typeof body.access_token !== 'string') throw new Error(`code exchange failed: ${JSON.stringify(body)}`);
  return {
    accessToken: body.access_token,
    ...(typeof body.refresh_token === 'string' ? { refreshToken: body.refresh_token } : {}),
  };
}

/** Gets a client-credentials access token for a service account. */
export async function clientCredentialsToken(opts: { issuer: string; clientId: string; clientSecret: string; resource: string }): Promise<string> {
  const { status, body } = await tokenRequest(
    opts.issuer,
    { grant_type: 'client_credentials', resource: opts.resource },
    { clientId: opts.clientId, clientSecret: opts.clientSecret },
  );
  if (status !== 200 || typeof body.access_token !== 'string') throw new Error(`client credentials failed: ${JSON.stringify(body)}`);
  return body.access_token;
}

/** Serves the built-in authorization server alone on an ephemeral loopback port (for identity tests). */
export async function serveAuthorizationServer(
  opts: Omit<AuthorizationServerOptions, 'issuer' | 'resources' | 'defaultResource' | 'managementResource'> & {
    resources?: (base: string) => string[];
    /** Reuse a port, e.g. to restart with the same issuer. */
    port?: number;
  },
): Promise<{ base: string; issuer: string; server: AuthorizationServer; resources: string[]; close(): Promise<void> }> {
  let as: AuthorizationServer | undefined;
  const listener = createServer((req, res) => {
    const handled = as ? as.handle(req, res) : Promise.resolve(false);
    handled
      .then((ok) => {
        if (!ok) {
          res.statusCode = 404;
          res.end();
        }
      })
      .catch((err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      });
  });
  await new Promise<void>((resolve) => listener.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = listener.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  const resources = opts.resources?.(base) ?? [`${base}/admin/api/v1`, `${base}/management/mcp`];
  const { resources: _ignored, port: _port, ...rest } = opts;
  as = await createAuthorizationServer({
    ...rest,
    issuer: `${base}/oauth`,
    resources,
    defaultResource: resources[0] as string,
    // By convention the second resource is the management MCP, as in the gateway itself.
    ...(resources[1] ? { managementResource: resources[1] } : {}),
  });
  return {
    base,
    issuer: `${base}/oauth`,
    server: as,
    resources,
    close: () =>
      new Promise<void>((resolve) => {
        listener.closeAllConnections();
        listener.close(() => resolve());
      }),
  };
}

/** Posts client metadata to the registration endpoint (RFC 7591). */
export async function registerClient(
  issuer: string,
  metadata: Record<string, unknown>,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const { registration_endpoint } = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as { registration_endpoint: string };
  const res = await fetch(registration_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(metadata),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}
