import type { Snapshot } from '../snapshot/types.js';

/** What in a snapshot stops working at a known time: backend credentials' certificates, mtls profiles' rotating fingerprints. */
export function expiringCredentials(snapshot: Snapshot): Array<{ kind: string; name: string; expiresAt: number }> {
  const out: Array<{ kind: string; name: string; expiresAt: number }> = [];
  for (const auth of snapshot.backendCredentials.values()) {
    if (auth.resource.expiresAt !== null) out.push({ kind: 'backend', name: auth.name, expiresAt: Date.parse(auth.resource.expiresAt) });
  }
  for (const p of snapshot.profiles.values()) {
    if (p.mtls === null) continue;
    for (const [fingerprint, until] of p.mtls.fingerprints) {
      if (Number.isFinite(until)) out.push({ kind: 'profile', name: `${p.client.name}/${p.profile.name}/${fingerprint.slice(0, 16)}`, expiresAt: until });
    }
  }
  return out;
}
