import { type Discovery, discover, type SignInSettings, signInSettings } from './discovery';
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
let settings: SignInSettings | undefined;
let tokens: Tokens | undefined;
let user: User | undefined;
let refreshing: Promise<void> | undefined;

function redirectUri(): string {
  return `${location.origin}${REDIRECT_PATH}`;
}

function payloadOf(jwt: unknown): Record<string, unknown> {
  if (typeof jwt !== 'string') return {};
  try {
    const payload = jwt.split('.')[1] ?? '';
    const json = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))));
    return json && typeof json === 'object' ? (json as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

// Keycloak-style nested claims (`realm_access.roles`), as the gateway reads them.
function claimAt(claims: Record<string, unknown>, path: string): unknown {
  if (path in claims) return claims[path];
  let node: unknown = claims;
  for (const part of path.split('.')) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
  return node;
}

/**
 * Who is signed in, read the way the gateway reads it: the access token's claims (a JWT, which is
 * what the admin API verifies) over the ID token's, through the configured claim names.
 */
function claimsOf(idToken: unknown, accessToken: string): User {
  const s = settings!;
  const claims = { ...payloadOf(idToken), ...payloadOf(accessToken) };
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const subject = str(claimAt(claims, s.subjectClaim));
  if (!subject) throw new Error(`The sign-in returned no "${s.subjectClaim}" claim.`);
  const name = [s.nameClaim, 'preferred_username', 'name', 'email'].map((c) => (c ? str(claims[c]) : undefined)).find(Boolean) ?? subject;
  const groups = claimAt(claims, s.groupsClaim);
  return { subject, name, groups: Array.isArray(groups) ? groups.map(String) : typeof groups === 'string' ? groups.split(' ').filter(Boolean) : [] };
}

/** The resource indicator, on every request when the gateway names one. */
function resourceParam(): Record<string, string> {
  return settings?.resource ? { resource: settings.resource } : {};
}

async function tokenRequest(form: Record<string, string>): Promise<Record<string, unknown>> {
  const d = discovery!;
  const res = await fetch(d.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ client_id: settings!.clientId, ...resourceParam(), ...form }).toString(),
  });
  const body = (await res.json()) as Record<string, unknown>;
  if (!res.ok || typeof body.access_token !== 'string')
    throw new Error(String(body.error_description ?? body.error ?? `token endpoint answered ${res.status}`));
  return body;
}

function keep(body: Record<string, unknown>): void {
  tokens = {
    accessToken: body.access_token as string,
    // Refresh tokens rotate: each use returns the next one, and the old one stops working.
    ...(typeof body.refresh_token === 'string' ? { refreshToken: body.refresh_token } : tokens?.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
    expiresAt: Date.now() + Number(body.expires_in ?? 600) * 1000,
  };
  if (body.id_token || !user) user = claimsOf(body.id_token, body.access_token as string);
}

/** Sends the browser to the authorization server's login page. */
async function signIn(returnTo: string): Promise<never> {
  const d = discovery!;
  const verifier = randomToken();
  const state = randomToken(16);
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, returnTo }));
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: settings!.clientId,
    redirect_uri: redirectUri(),
    scope: settings!.scope,
    state,
    code_challenge: await challengeOf(verifier),
    code_challenge_method: 'S256',
    ...resourceParam(),
  });
  // After a sign-out, ask for the password again rather than reuse the login session.
  if (sessionStorage.getItem(SIGNED_OUT)) params.set('prompt', 'login');
  location.assign(`${d.authorizationEndpoint}?${params}`);
  return new Promise<never>(() => {});
}

/** Finishes a sign-in returning to the callback, or starts one; resolves once a token is held. */
export async function ensureSignedIn(): Promise<User> {
  settings ??= signInSettings();
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
      body: new URLSearchParams({ client_id: settings!.clientId, token: refreshToken, token_type_hint: 'refresh_token' }).toString(),
    }).catch(() => undefined);
  }
  location.assign('/console/signed-out');
}
