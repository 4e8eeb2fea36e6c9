import { randomBytes } from 'node:crypto';
import type { Principal } from '../core/index.js';
import type { Executor } from './executor.js';

/** The actor of changes the gateway makes itself (first start, demo data). */
export const SYSTEM_PRINCIPAL: Principal = { subject: 'system:gatehouse', name: 'gatehouse', kind: 'service', groups: [] };

export interface FirstAdmin {
  username: string;
  /** Set only when the gateway generated it: shown once. */
  generatedPassword?: string;
}

/** On first start, creates the `admin` user (through the executor, so it is audited); null when users exist. */
export async function ensureFirstAdmin(executor: Executor, countUsers: () => Promise<number>, password?: string): Promise<FirstAdmin | null> {
  if ((await countUsers()) > 0) return null;
  const generated = password ? undefined : randomBytes(15).toString('base64url');
  const initial = password ?? (generated as string);
  try {
    await executor.execute(
      'users.create',
      { username: 'admin', password: initial, role: 'admin' },
      { principal: SYSTEM_PRINCIPAL, channel: 'cli', requestId: 'bootstrap', localAdmin: true },
    );
  } catch (err) {
    // Another node won the race to create it.
    if ((await countUsers()) > 0) return null;
    throw err;
  }
  return { username: 'admin', ...(generated ? { generatedPassword: generated } : {}) };
}
