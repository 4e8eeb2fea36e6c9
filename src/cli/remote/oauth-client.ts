import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN_API_PREFIX } from '../../core/admin-api.js';
import { DEVICE_CODE_GRANT } from '../../identity/clients.js';

/** What the CLI needs to know about a gateway's authorization server, found from the gateway's URL alone. */
export interface Discovery {
  server: string;
  /** The admin API's resource identifier (RFC 9728): the audience tokens must carry. */
  resource: string;
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  deviceAuthorizationEndpoint?: string;
  revocationEndpoint?: string;
}

/** Tokens from a token endpoint. */
export interface Tokens {
  accessToken: string;
  refreshToken?: string;
  expiresAt: number;
  user?: string;
}

/** An OAuth error answered by the authorization server, or a flow that could not finish. */
export class LoginError extends Error {
  override name = 'LoginError';
}

const SCOPE = 'openid offline_access';
const LOGIN_TIMEOUT_MS = 5 * 60_000;

async function getJson(url: string): Promise<Record<string, unknown>> {
  const res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new LoginError(`${url} answered ${res.status}`);
  return (await res.json()) as Record<string, unknown>;
}

/** Finds the admin API's resource identifier and its authorization server from the gateway's URL (RFC 9728, RFC 8414). */
export async function discover(server: string): Promise<Discovery> {
  const metadata = await getJson(`${server}/.well-known/oauth-protected-resource${ADMIN_API_PREFIX}`);
  const issuer = (metadata.authorization_servers as string[] | undefined)?.[0];
  if (typeof metadata.resource !== 'string' || !issuer) throw new LoginError(`${server} does not name its authorization server`);
  const as = await getJson(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  const str = (k: string) => (typeof as[k] === 'string' ? (as[k] as string) : undefined);
  const authorizationEndpoint = str('authorization_endpoint');
  const tokenEndpoint = str('token_endpoint');
  if (!authorizationEndpoint || !tokenEndpoint) throw new LoginError(`${issuer} has no authorization or token endpoint`);
  const device = str('device_authorization_endpoint');
  const revocation = str('revocation_endpoint');
  return {
    server,
    resource: metadata.resource,
    issuer,
    authorizationEndpoint,
    tokenEndpoint,
    ...(device ? { deviceAuthorizationEndpoint: device } : {}),
    ...(revocation ? { revocationEndpoint: revocation } : {}),
  };
}

interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

async function postForm(url: string, form: Record<string, string>, basic?: { id: string; secret: string }): Promise<TokenAnswer> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (basic) {
    const enc = encodeURIComponent;
    headers.authorization = `Basic ${Buffer.from(`${enc(basic.id)}:${enc(basic.secret)}`).toString('base64')}`;
  }
  const res = await fetch(url, { method: 'POST', headers, body: new URLSearchParams(form).toString(), signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { error: 'invalid_response', error_description: text.slice(0, 200) };
  }
  return { status: res.status, body };
}

function tokensFrom(answer: TokenAnswer): Tokens {
  const { body } = answer;
  if (answer.status !== 200 || typeof body.access_token !== 'string') {
    throw new LoginError(`${String(body.error ?? answer.status)}: ${String(body.error_description ?? 'the token request was refused')}`);
  }
  const claims = decodeClaims(body.access_token);
  const user = typeof claims.name === 'string' ? claims.name : typeof claims.sub === 'string' ? claims.sub : undefined;
  return {
    accessToken: body.access_token,
    ...(typeof body.refresh_token === 'string' ? { refreshToken: body.refresh_token } : {}),
    expiresAt: Date.now() + Number(body.expires_in ?? 300) * 1000,
    ...(user ? { user } : {}),
  };
}

// Only to show who signed in: the gateway verifies tokens, the CLI never trusts these claims.
function decodeClaims(jwt: string): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

const DONE_PAGE = '<!doctype html><meta charset="utf-8"><title>Gatehouse</title><p>You are signed in to the Gatehouse CLI. You can close this window.</p>';
const FAILED_PAGE = '<!doctype html><meta charset="utf-8"><title>Gatehouse</title><p>Sign-in failed; see your terminal.</p>';

/**
 * Authorization code + PKCE with a loopback redirect (RFC 8252 §7.3): listens on 127.0.0.1 on a
 * free port, shows the authorization URL (and opens it), and exchanges the code that comes back.
 */
export async function loginWithBrowser(d: Discovery, clientId: string, show: (url: string) => void): Promise<Tokens> {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const state = randomBytes(16).toString('base64url');
  let settle: { resolve: (code: string) => void; reject: (err: Error) => void } | undefined;
  const codeArrived = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const listener = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback') {
      res.writeHead(404).end();
      return;
    }
    const code = url.searchParams.get('code');
    const ok = url.searchParams.get('state') === state && code !== null;
    res.writeHead(ok ? 200 : 400, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(ok ? DONE_PAGE : FAILED_PAGE);
    if (ok) settle?.resolve(code);
    else if (url.searchParams.get('state') === state) {
      settle?.reject(
        new LoginError(`${url.searchParams.get('error') ?? 'no code'}: ${url.searchParams.get('error_description') ?? 'the sign-in was refused'}`),
      );
    }
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const redirectUri = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/callback`;
  const timer = setTimeout(() => settle?.reject(new LoginError('no sign-in within 5 minutes')), LOGIN_TIMEOUT_MS);
  try {
    const params = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: redirectUri,
      scope: SCOPE,
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      resource: d.resource,
    });
    show(`${d.authorizationEndpoint}?${params}`);
    const code = await codeArrived;
    return tokensFrom(
      await postForm(d.tokenEndpoint, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        code_verifier: verifier,
        client_id: clientId,
        resource: d.resource,
      }),
    );
  } finally {
    clearTimeout(timer);
    listener.closeAllConnections();
    listener.close();
  }
}

/** The device authorization grant (RFC 8628): shows a code to enter on any device, then polls until the user has. */
export async function loginWithDevice(
  d: Discovery,
  clientId: string,
  show: (prompt: { verificationUri: string; verificationUriComplete?: string; userCode: string }) => void,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<Tokens> {
  if (!d.deviceAuthorizationEndpoint) throw new LoginError(`${d.issuer} does not offer the device authorization grant; log in without --device`);
  const start = await postForm(d.deviceAuthorizationEndpoint, { client_id: clientId, scope: SCOPE, resource: d.resource });
  const b = start.body;
  if (start.status !== 200 || typeof b.device_code !== 'string' || typeof b.user_code !== 'string' || typeof b.verification_uri !== 'string') {
    throw new LoginError(`${String(b.error ?? start.status)}: ${String(b.error_description ?? 'the device authorization was refused')}`);
  }
  show({
    verificationUri: b.verification_uri,
    userCode: b.user_code,
    ...(typeof b.verification_uri_complete === 'string' ? { verificationUriComplete: b.verification_uri_complete } : {}),
  });
  let interval = Number(b.interval ?? 5) * 1000;
  const deadline = Date.now() + Number(b.expires_in ?? 600) * 1000;
  while (Date.now() < deadline) {
    await sleep(interval);
    const answer = await postForm(d.tokenEndpoint, { grant_type: DEVICE_CODE_GRANT, device_code: b.device_code, client_id: clientId, resource: d.resource });
    if (answer.status === 200) return tokensFrom(answer);
    if (answer.body.error === 'authorization_pending') continue;
    if (answer.body.error === 'slow_down') {
      interval += 5000;
      continue;
    }
    return tokensFrom(answer);
  }
  throw new LoginError('expired_token: the code was not entered in time');
}

/** A fresh access token from a refresh token (rotated: the answer carries the next refresh token). */
export async function refreshTokens(tokenEndpoint: string, clientId: string, refreshToken: string, resource: string): Promise<Tokens> {
  return tokensFrom(await postForm(tokenEndpoint, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId, resource }));
}

/** A service account's token (client-credentials grant), for CI. */
export async function clientCredentials(d: Discovery, id: string, secret: string): Promise<Tokens> {
  return tokensFrom(await postForm(d.tokenEndpoint, { grant_type: 'client_credentials', resource: d.resource }, { id, secret }));
}

/** Revokes a refresh token (RFC 7009); best effort, the local copy is deleted anyway. */
export async function revoke(revocationEndpoint: string, clientId: string, token: string): Promise<boolean> {
  const answer = await postForm(revocationEndpoint, { token, token_type_hint: 'refresh_token', client_id: clientId });
  return answer.status === 200;
}
