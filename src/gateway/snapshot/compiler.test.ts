import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compileSnapshot } from './compile.js';
import { SnapshotCompiler } from './compiler.js';
import type { CredentialRow, ResourceRow } from './load.js';
import type { Snapshot } from './types.js';
import { snapshotContent } from '../../../test/support/snapshot-content.js';
import { lookupEndpoint } from '../routing/router.js';

// A small PRNG with a fixed seed: every run tries the same sequences.
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ISSUERS = ['https://a.example', 'https://b.example'];
const KINDS = ['collections', 'policies', 'clients', 'profiles', 'proxies', 'endpoints', 'workflows', 'workflow-versions'] as const;
const COUNT: Record<(typeof KINDS)[number], number> = {
  collections: 3,
  policies: 4,
  clients: 4,
  profiles: 6,
  proxies: 4,
  endpoints: 10,
  workflows: 2,
  'workflow-versions': 4,
};

/** A random valid document of this kind (now and then one that does not parse), pointing at ids that may or may not exist. */
function documentOf(kind: (typeof KINDS)[number], n: number, rnd: () => number): { id: string; data: object | string } {
  const pick = (prefix: string, count: number) => `${prefix}${Math.floor(rnd() * (count + 1))}`;
  const maybe = <T>(v: T) => (rnd() < 0.5 ? v : null);
  if (rnd() < 0.05) return { id: `${kind}${n}`, data: 'not json' };
  switch (kind) {
    case 'collections':
      return { id: `col${n}`, data: { slug: `c${n}`, name: `C${n}`, description: '', published: rnd() < 0.5, allowAnonymous: false } };
    case 'policies':
      return { id: `pol${n}`, data: { name: `P${n}`, rateLimits: [{ window: 'second', limit: 1 + Math.floor(rnd() * 100) }], quotas: [] } };
    case 'clients':
      return {
        id: `cli${n}`,
        data: { name: `C${n}`, description: '', status: 'active', collectionIds: [pick('col', 3), pick('col', 3)], policyId: maybe(pick('pol', 4)) },
      };
    case 'profiles': {
      const jwt = rnd() < 0.3;
      return {
        id: `prf${n}`,
        data: {
          clientId: pick('cli', 4),
          name: `P${n}`,
          authType: jwt ? 'jwt' : 'token',
          allowedMethods: rnd() < 0.5 ? ['GET'] : ['GET', 'POST'],
          ipAllowlist: [],
          collectionIds: maybe([pick('col', 3)]),
          policyId: maybe(pick('pol', 4)),
          ...(jwt ? { jwt: { issuer: ISSUERS[Math.floor(rnd() * 2)], audience: 'x' } } : {}),
        },
      };
    }
    case 'proxies':
      return {
        id: `prx${n}`,
        data: {
          collectionId: pick('col', 3),
          name: `P${n}`,
          basePath: `/p${n}`,
          upstreams: ['http://127.0.0.1:9'],
          timeouts: { connectMs: 1000, responseMs: 1000 + Math.floor(rnd() * 1000) },
          retries: 0,
          captureBodies: { enabled: false, maxBytes: 0, redactFields: [] },
          ...(rnd() < 0.4 ? { workflowId: pick('wf', 2), workflowVersion: rnd() < 0.5 ? 1 + Math.floor(rnd() * 2) : null } : {}),
        },
      };
    case 'endpoints':
      return {
        id: `ep${n}`,
        data: {
          proxyId: pick('prx', 4),
          method: rnd() < 0.5 ? 'GET' : 'POST',
          path: `/things${n}/{id}`,
          summary: `S${Math.floor(rnd() * 100)}`,
          description: '',
          parameters: [{ name: 'id', in: 'path', required: true }],
          responses: {},
          mcpExposed: rnd() < 0.5,
        },
      };
    case 'workflows':
      return { id: `wf${n}`, data: { name: `W${n}`, description: `d${Math.floor(rnd() * 100)}`, request: [], response: [] } };
    case 'workflow-versions': {
      const wf = `wf${n % 2}`;
      const v = 1 + Math.floor(n / 2);
      return { id: `${wf}@${v}`, data: { workflowId: wf, definition: { name: `W${n} v${v}` }, savedAt: '2026-01-01T00:00:00Z', savedBy: 'x' } };
    }
  }
}

const hex = (i: number) => createHash('sha256').update(`tok${i}`).digest('hex');

describe('incremental compile', () => {
  it('gives the same snapshot as a full compile after any sequence of changes (fixed seed, bounded cases)', () => {
    const rnd = prng(38);
    const CASES = 60;
    const STEPS = 25;
    const CREDENTIALS = 30;
    const DIGESTS = Array.from({ length: CREDENTIALS }, (_, i) => hex(i));
    let compared = 0;
    let recompiledProfiles = 0;
    let authenticated = 0;
    for (let c = 0; c < CASES; c++) {
      const rows = new Map<string, ResourceRow>();
      const put = (kind: (typeof KINDS)[number], n: number) => {
        const { id, data } = documentOf(kind, n, rnd);
        const old = rows.get(`${kind}\n${id}`);
        const row: ResourceRow = {
          type: kind,
          id,
          data: typeof data === 'string' ? data : JSON.stringify(data),
          version: (old?.version ?? 0) + 1,
          created_at: '2026-01-01T00:00:00Z',
          updated_at: '2026-01-01T00:00:00Z',
        };
        rows.set(`${kind}\n${id}`, row);
        return row;
      };
      for (const kind of KINDS) for (let n = 0; n < COUNT[kind]; n++) if (rnd() < 0.7) put(kind, n);
      const credentials: CredentialRow[] = Array.from({ length: CREDENTIALS }, (_, i) => ({
        id: `crd${i}`,
        profile_id: `prf${Math.floor(rnd() * 7)}`,
        client_id: `cli${Math.floor(rnd() * 5)}`,
        token_hash: hex(i),
        status: rnd() < 0.8 ? 'active' : 'rotated',
        expires_at: null,
        grace_until: '2099-01-01T00:00:00Z',
      }));
      const compiler = new SnapshotCompiler();
      compiler.stage([...rows.values()].map((row) => ({ type: row.type, id: row.id, row })));
      let live: Snapshot = {
        ...compiler.commit().config,
        builtAt: 0,
        approvals: new Map(),
        tokens: compileSnapshot({ resources: [...rows.values()], credentials }).tokens,
      };
      for (let step = 0; step < STEPS; step++) {
        const changes = [];
        for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) {
          const kind = KINDS[Math.floor(rnd() * KINDS.length)]!;
          const n = Math.floor(rnd() * COUNT[kind]);
          if (rnd() < 0.25) {
            const id = documentOf(kind, n, () => 0.99).id;
            rows.delete(`${kind}\n${id}`);
            changes.push({ type: kind, id, row: null });
          } else {
            const row = put(kind, n);
            changes.push({ type: kind, id: row.id, row });
          }
        }
        compiler.stage(changes);
        const { config, profiles } = compiler.commit();
        recompiledProfiles += profiles.size;
        live = { ...config, builtAt: 0, approvals: new Map(), tokens: live.tokens.withProfiles(profiles, compiler.resolve) };
        const full = compileSnapshot({ resources: [...rows.values()], credentials });
        const content = snapshotContent(live, DIGESTS);
        expect(content).toEqual(snapshotContent(full, DIGESTS));
        authenticated += content.tokens.filter((t) => t !== null).length;
        compared++;
      }
    }
    console.log(`incremental compile: ${compared} states compared with a full compile (${CASES} cases × ${STEPS} steps)`);
    expect(compared).toBe(CASES * STEPS);
    // The generator reaches profiles through every path (policy, client, profile): the comparison is not vacuous.
    expect(recompiledProfiles).toBeGreaterThan(CASES * STEPS * 0.4);
    expect(authenticated).toBeGreaterThan(CASES * STEPS);
  });

  it('leaves unrelated parts shared: a policy nobody uses recompiles nothing, an endpoint recompiles only its proxy', () => {
    const row = (type: string, id: string, data: object, version = 1): ResourceRow => ({
      type,
      id,
      data: JSON.stringify(data),
      version,
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
    });
    const rnd = prng(1);
    const compiler = new SnapshotCompiler();
    const docs = [];
    for (const kind of KINDS) for (let n = 0; n < COUNT[kind]; n++) docs.push({ kind, ...documentOf(kind, n, rnd) });
    compiler.stage(docs.filter((d) => typeof d.data !== 'string').map((d) => ({ type: d.kind, id: d.id, row: row(d.kind, d.id, d.data as object) })));
    const before = compiler.commit().config;
    compiler.stage([{ type: 'policies', id: 'pol_new', row: row('policies', 'pol_new', { name: 'new', rateLimits: [], quotas: [] }) }]);
    const policy = compiler.commit();
    expect(policy.profiles.size).toBe(0);
    expect(policy.config.profiles).toBe(before.profiles);
    expect(policy.config.proxies).toBe(before.proxies);
    expect(policy.config.policies.has('pol_new')).toBe(true);
    const ep = docs.find((d) => d.kind === 'endpoints' && typeof d.data !== 'string')!;
    const proxyId = (ep.data as { proxyId: string }).proxyId;
    compiler.stage([{ type: 'endpoints', id: ep.id, row: row('endpoints', ep.id, { ...(ep.data as object), summary: 'changed' }, 2) }]);
    const after = compiler.commit().config;
    expect(after.profiles).toBe(before.profiles);
    for (const [base, p] of after.proxies) if (p.proxy.id !== proxyId) expect(p).toBe(before.proxies.get(base));
  });

  it('holds endpoints by their routing fields only, yet a change to one endpoint rebuilds its proxy from all of them', () => {
    const row = (type: string, id: string, data: object, version = 1): ResourceRow => ({
      type,
      id,
      data: JSON.stringify(data),
      version,
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
    });
    const body = { type: 'object', properties: { name: { type: 'string', description: 'a name' } } };
    const endpoint = (n: number, extra: object = {}) => ({
      proxyId: 'prx',
      method: 'POST',
      path: `/things${n}`,
      summary: `thing ${n}`,
      description: 'what the router never reads',
      parameters: [],
      requestBody: body,
      responses: { '200': body },
      ...extra,
    });
    const compiler = new SnapshotCompiler();
    compiler.stage([
      { type: 'collections', id: 'col', row: row('collections', 'col', { slug: 'c', name: 'C', description: '', published: true, allowAnonymous: false }) },
      {
        type: 'proxies',
        id: 'prx',
        row: row('proxies', 'prx', {
          collectionId: 'col',
          name: 'P',
          basePath: '/p',
          upstreams: ['http://127.0.0.1:9'],
          timeouts: { connectMs: 1000, responseMs: 1000 },
          retries: 0,
          captureBodies: { enabled: false, maxBytes: 0, redactFields: [] },
        }),
      },
      { type: 'workflows', id: 'wf', row: row('workflows', 'wf', { name: 'W', description: '', request: [], response: [] }) },
      { type: 'endpoints', id: 'ep1', row: row('endpoints', 'ep1', endpoint(1, { workflowId: 'wf' })) },
      { type: 'endpoints', id: 'ep2', row: row('endpoints', 'ep2', endpoint(2)) },
    ]);
    compiler.commit();
    // Only ep2 changes: the route table and workflow overrides are rebuilt with ep1 from what the compiler kept of it.
    compiler.stage([{ type: 'endpoints', id: 'ep2', row: row('endpoints', 'ep2', endpoint(2, { path: '/renamed' }), 2) }]);
    const { config } = compiler.commit();
    const proxy = config.proxies.get('/p')!;
    expect(lookupEndpoint(proxy.endpoints, '/things1', 'POST')?.endpoint?.id).toBe('ep1');
    expect(lookupEndpoint(proxy.endpoints, '/renamed', 'POST')?.endpoint?.id).toBe('ep2');
    expect(lookupEndpoint(proxy.endpoints, '/things2', 'POST')).toBeNull();
    expect(proxy.workflows?.endpoints.get('ep1')).toEqual({ id: 'wf', version: null });
    // The documents come whole from the stored rows.
    expect(config.endpointDocs.get('ep1')).toMatchObject({ description: 'what the router never reads', requestBody: body, responses: { '200': body } });
    expect(config.endpointDocs.get('ep2')?.path).toBe('/renamed');
  });

  it('takes a change to one of 30,000 policies into a new map, leaving the previous config as it was', async () => {
    const policy = (id: string, name: string) => ({
      type: 'policies',
      id,
      row: {
        type: 'policies',
        id,
        data: JSON.stringify({ name, rateLimits: [], quotas: [] }),
        version: 1,
        created_at: '2026-01-01T00:00:00Z',
        updated_at: '2026-01-01T00:00:00Z',
      },
    });
    const rows = Array.from({ length: 30_000 }, (_, i) => policy(`pol_${i}`, `p${i}`));
    const compiler = new SnapshotCompiler();
    compiler.stage(rows);
    const before = (await compiler.commitInSlices()).config;
    compiler.stage([policy('pol_5', 'renamed'), { type: 'policies', id: 'pol_6', row: null }, policy('pol_new', 'new')]);
    const after = (await compiler.commitInSlices()).config;
    expect(before.policies.get('pol_5')?.name).toBe('p5');
    expect(before.policies.has('pol_6')).toBe(true);
    expect(before.policies.has('pol_new')).toBe(false);
    expect(before.policies.size).toBe(30_000);
    expect(after.policies.get('pol_5')?.name).toBe('renamed');
    expect(after.policies.has('pol_6')).toBe(false);
    expect(after.policies.get('pol_new')?.name).toBe('new');
    expect(after.policies.size).toBe(30_000);
    // The same entries as a compile of the final rows from nothing.
    const fresh = new SnapshotCompiler();
    fresh.stage([...rows.filter((r) => r.id !== 'pol_5' && r.id !== 'pol_6'), policy('pol_5', 'renamed'), policy('pol_new', 'new')]);
    expect(new Map(after.policies)).toEqual(new Map(fresh.commit().config.policies));
    // Nothing staged since: a second commit shares the map.
    expect((await compiler.commitInSlices()).config.policies).toBe(after.policies);
  });
});
