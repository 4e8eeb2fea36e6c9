import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { putSettingOnce } from './repositories/settings.js';
import type { DB } from './schema.js';
import type { SecretBox } from './secret-box.js';

const CHECK_PLAINTEXT = 'gatehouse-secret-key-check';

/** The master key: GATEHOUSE_SECRET_KEY, or a key file made on first start in the data directory (0600). */
export function loadMasterKey(dataDir: string, configured?: string): { key: Buffer; created: boolean } {
  if (configured) {
    const key = Buffer.from(configured, 'base64');
    if (key.length !== 32) throw new Error('GATEHOUSE_SECRET_KEY must be 32 bytes, base64-encoded');
    return { key, created: false };
  }
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) return { key: Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'), created: false };
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return { key, created: true };
}

/** Refuses to start with a key other than the one the store's secrets were sealed with. */
export async function checkMasterKey(db: Kysely<DB>, box: SecretBox): Promise<void> {
  const sealed = await putSettingOnce(db, 'secret-key-check', box.seal(CHECK_PLAINTEXT));
  let ok = false;
  try {
    ok = box.open(sealed) === CHECK_PLAINTEXT;
  } catch {
    ok = false;
  }
  if (!ok) throw new Error('The secret key does not match the one this database was set up with (set GATEHOUSE_SECRET_KEY to the original key).');
}
