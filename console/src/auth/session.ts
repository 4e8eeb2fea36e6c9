import { CONSOLE_CLIENT_ID, type Discovery, discover } from './discovery';
import { challengeOf, randomToken } from './pkce';

/** Who is signed in, from the ID token (the UI's own use only: the gateway checks every call itself). */
export interface User {
  subject: string;
  name: string;
  groups: string[];
}

interface Tokens {
  accessToken: string;
  refreshToken?: string;
  /** Epoch ms when the access token stops working; refreshed a little before. */
  expiresAt: number;
}

// The PKCE verifier and state must survive the trip to the login page; tokens never leave memory.
const PENDING = 'gatehouse.console.pending';
const SIGNED_OUT = 'gatehouse.console.signed-out';
const REDIRECT_PATH = '/console/callback';

let discovery: Discovery | undefined;
let tokens: Tokens | undefined;
let user: User | undefined;
let refreshing: Promise<void> | undefined;

function redirectUri(): string {
  return `${location.origin}${REDIRECT_PATH}`;
}

function claimsOf(idToken: unknown): User {
  if (typeof idToken !== 'string') throw new Error('The authorization server sent no ID token.');
  const payload = idToken.split('.')[1] ?? '';
  const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
  const subject = String(json.sub);
  const name = typeof json.preferred_username === 'string' ? json.preferred_username : typeof json.name === 'string' ? json.name : subject;
  return { subject, name, groups: Array.isArray(json.groups) ? json.groups.map(String) : [] };
}

async function tokenRequest(form: Record<string, string>): Promise<Record<string, unknown>> {
  const d = discovery!;
  const res = await fetch(d.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ client_id: CONSOLE_CLIENT_ID, resource: d.resource, ...form }).toString(),
  });
  const body = (await res.json()) as Record<string, unknown>;
  if (!res.ok || typeof body.access_token !== 'string') throw new Error(String(body.error_description ?? body.error ?? `token endpoint answered ${res.status}`));
  return body;
}

function keep(body: Record<string, unknown>): void {
  tokens = {
    accessToken: body.access_token as string,
    // Refresh tokens rotate: each use returns the next one, and the old one stops working.
    ...(typeof body.refresh_token === 'string' ? { refreshToken: body.refresh_token } : tokens?.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
    expiresAt: Date.now() + Number(body.expires_in ?? 600) * 1000,
  };
  if (body.id_token) user = claimsOf(body.id_token);
}

/** Sends the browser to the authorization server's login page. */
async function signIn(returnTo: string): Promise<never> {
  const d = discovery!;
  const verifier = randomToken();
  const state = randomToken(16);
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, returnTo }));
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: CONSOLE_CLIENT_ID,
    redirect_uri: redirectUri(),
    scope: 'openid offline_access',
    state,
    code_challenge: await challengeOf(verifier),
    code_challenge_method: 'S256',
    resource: d.resource,
  });
  // After a sign-out, ask for the password again rather than reuse the login session.
  if (sessionStorage.getItem(SIGNED_OUT)) params.set('prompt', 'login');
  location.assign(`${d.authorizationEndpoint}?${params}`);
  return new Promise<never>(() => {});
}

/** Finishes a sign-in returning to the callback, or starts one; resolves once a token is held. */
export async function ensureSignedIn(): Promise<User> {
  discovery ??= await discover();
  if (location.pathname === REDIRECT_PATH) {
    const back = new URLSearchParams(location.search);
    const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as { verifier: string; state: string; returnTo: string } | null;
    sessionStorage.removeItem(PENDING);
    if (back.get('error')) throw new Error(back.get('error_description') ?? back.get('error') ?? 'sign-in failed');
    const code = back.get('code');
    if (!pending || !code || back.get('state') !== pending.state) return signIn('/console');
    keep(await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: redirectUri(), code_verifier: pending.verifier }));
    sessionStorage.removeItem(SIGNED_OUT);
    history.replaceState(null, '', pending.returnTo);
  }
  if (!tokens || !user) return signIn(location.pathname + location.search);
  return user;
}

async function refresh(): Promise<void> {
  const refreshToken = tokens?.refreshToken;
  if (!refreshToken) return void signIn(location.pathname + location.search);
  try {
    keep(await tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken }));
  } catch {
    tokens = undefined;
    await signIn(location.pathname + location.search);
  }
}

/** A current access token, refreshed (once, however many callers ask) when it is about to expire. */
export async function accessToken(forceRefresh = false): Promise<string> {
  if (forceRefresh || !tokens || tokens.expiresAt - Date.now() < 30_000) {
    refreshing ??= refresh().finally(() => {
      refreshing = undefined;
    });
    await refreshing;
  }
  return tokens!.accessToken;
}

export function currentDiscovery(): Discovery {
  return discovery!;
}

/** Revokes the refresh token, forgets every token, and shows the signed-out page. */
export async function signOut(): Promise<void> {
  const d = discovery;
  const refreshToken = tokens?.refreshToken;
  tokens = undefined;
  user = undefined;
  sessionStorage.setItem(SIGNED_OUT, '1');
  if (d?.revocationEndpoint && refreshToken) {
    await fetch(d.revocationEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: CONSOLE_CLIENT_ID, token: refreshToken, token_type_hint: 'refresh_token' }).toString(),
    }).catch(() => undefined);
  }
  location.assign('/console/signed-out');
}
