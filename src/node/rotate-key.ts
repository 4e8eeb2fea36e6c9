import { randomBytes } from 'node:crypto';
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { GatehouseConfig, type GatehouseConfigInput } from '../core/index.js';
import { openDatabase } from '../store/database.js';
import { checkMasterKey, loadMasterKey } from '../store/master-key.js';
import { migrate } from '../store/migrate.js';
import { resealAll } from '../store/rotate-key.js';
import { SecretBox } from '../store/secret-box.js';
import { storeOptions } from './plane.js';

/** What `secrets rotate-key` did. */
export interface KeyRotation {
  secrets: number;
  settings: number;
  /** The key file now holding the new key, when the key lives in the data directory. */
  keyFile: string | null;
  /** The new key (base64), when the old one came from GATEHOUSE_SECRET_KEY and the operator must now set this one. */
  newKey: string | null;
}

/**
 * Re-seals every secret under a new master key (`newKey`, base64 of 32 bytes, or a random one) in
 * one transaction. With a key file, the new key is written beside it first and moved over it only
 * after the commit, so a crash leaves either the old key with the old secrets or `secret.key.next`
 * holding the key of the committed ones. Running nodes keep the old key until restarted with the new one.
 */
export async function rotateSecretKey(input: GatehouseConfigInput, newKey?: string): Promise<KeyRotation> {
  const config = GatehouseConfig.parse(input);
  const keyFile = join(config.dataDir, 'secret.key');
  if (!config.secretKey && !existsSync(keyFile)) throw new Error(`No master key to rotate: neither GATEHOUSE_SECRET_KEY nor ${keyFile} exists.`);
  const next = newKey === undefined ? randomBytes(32) : Buffer.from(newKey, 'base64');
  if (next.length !== 32) throw new Error('The new secret key must be 32 bytes, base64-encoded.');
  const database = openDatabase(storeOptions(config));
  try {
    await migrate(database);
    const from = new SecretBox(loadMasterKey(config.dataDir, config.secretKey).key);
    await checkMasterKey(database.db, from);
    const staged = `${keyFile}.next`;
    if (!config.secretKey) writeFileSync(staged, `${next.toString('base64')}\n`, { mode: 0o600, flag: 'w' });
    const user = userInfo().username;
    let count: Awaited<ReturnType<typeof resealAll>>;
    try {
      count = await resealAll(database.db, database.dialect, from, new SecretBox(next), { subject: `local:${user}`, name: user });
    } catch (err) {
      if (!config.secretKey) rmSync(staged, { force: true });
      throw err;
    }
    if (config.secretKey) return { ...count, keyFile: null, newKey: newKey === undefined ? next.toString('base64') : null };
    renameSync(staged, keyFile);
    return { ...count, keyFile, newKey: null };
  } finally {
    await database.close();
  }
}
