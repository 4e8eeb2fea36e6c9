import type { Snapshot } from '../../src/gateway/snapshot/types.js';

/** Everything a snapshot serves, as plain data (so two compiles compare by content, not by object identity). */
export function snapshotContent(s: Snapshot, tokenHashes: readonly string[]) {
  const ids = (list: readonly { profile: { id: string } }[]) => list.map((p) => p.profile.id);
  return {
    proxies: [...s.proxies]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([base, p]) => ({
        base,
        proxy: p.proxy,
        collection: p.collection,
        table: p.endpoints,
        workflows: p.workflows && { proxy: p.workflows.proxy, endpoints: [...p.workflows.endpoints].sort() },
        backendAuth: p.backendAuth,
      })),
    profiles: [...s.profiles.values()]
      .map((p) => ({ profile: p.profile, client: p.client, methods: [...p.methods], collections: [...p.collections].sort(), limits: p.limits }))
      .sort((a, b) => a.profile.id.localeCompare(b.profile.id)),
    issuers: new Map([...s.issuers].map(([k, v]) => [k, ids(v)])),
    certificates: s.certificates.collections,
    collections: s.collections,
    policies: new Map(s.policies),
    docs: [...s.endpointDocs.ids()].sort().map((id) => s.endpointDocs.summary(id)),
    workflows: s.workflows,
    tokens: tokenHashes.map((h) => {
      const at = s.tokens.find(Buffer.from(h, 'hex').toString('latin1'));
      const p = at < 0 ? undefined : s.tokens.profile(at);
      return p ? [p.profile.id, s.tokens.status(at), s.tokens.expiresAt(at)] : null;
    }),
  };
}
