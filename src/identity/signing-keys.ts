import { randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JSONWebKeySet, type JWK } from 'jose';
import type { Kysely } from 'kysely';
import type { DB } from '../store/schema.js';
import { getSetting, putSettingOnce } from '../store/repositories/settings.js';
import type { SecretBox } from '../store/secret-box.js';

const JWKS_SETTING = 'oauth.signing-keys';
const COOKIE_SETTING = 'oauth.cookie-keys';
const ALGORITHMS = ['ES256', 'RS256'] as const;
// The members oidc-provider publishes of a key, in its order (its keystore initialisation): what
// `/oauth/jwks` serves, so the JWKS can be served and used without the provider.
const PUBLIC_MEMBERS = ['kty', 'use', 'key_ops', 'kid', 'alg', 'crv', 'e', 'n', 'x', 'x5c', 'y', 'pub'] as const;

export interface ProviderKeys {
  /** Private signing keys, for oidc-provider. */
  signing: { keys: JWK[] };
  /** The same keys without private members, as oidc-provider publishes them: what `/oauth/jwks` serves. */
  publicJwks: JSONWebKeySet;
  /** Keys that sign oidc-provider's cookies. */
  cookieKeys: string[];
}

/** Loads the signing and cookie keys, creating them on first start; every node ends up with the same keys. */
export async function loadProviderKeys(db: Kysely<DB>, secrets: SecretBox): Promise<ProviderKeys> {
  const signing = JSON.parse(await sealedSettingOnce(db, secrets, JWKS_SETTING, async () => JSON.stringify(await generateSigningKeys()))) as { keys: JWK[] };
  const cookieKeys = JSON.parse(
    await sealedSettingOnce(db, secrets, COOKIE_SETTING, async () => JSON.stringify([randomBytes(32).toString('base64url')])),
  ) as string[];
  return { signing, publicJwks: { keys: signing.keys.map(publicPart) }, cookieKeys };
}

// Reads first so a restart does not pay for RSA key generation; putSettingOnce settles a first-start race.
async function sealedSettingOnce(db: Kysely<DB>, secrets: SecretBox, key: string, create: () => Promise<string>): Promise<string> {
  const stored = (await getSetting(db, key)) ?? (await putSettingOnce(db, key, secrets.seal(await create())));
  return secrets.open(stored);
}

async function generateSigningKeys(): Promise<{ keys: JWK[] }> {
  const keys: JWK[] = [];
  for (const alg of ALGORITHMS) {
    const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS256' ? { modulusLength: 2048 } : {}) });
    const jwk = await exportJWK(privateKey);
    keys.push({ ...jwk, alg, use: 'sig', kid: await calculateJwkThumbprint(jwk) });
  }
  return { keys };
}

function publicPart(jwk: JWK): JWK {
  const published: Record<string, unknown> = {};
  for (const member of PUBLIC_MEMBERS) {
    const value = (jwk as Record<string, unknown>)[member];
    if (value !== undefined) published[member] = value;
  }
  return published as JWK;
}
