import { describe, expect, it } from 'vitest';
import { hashToken } from '../../core/index.js';
import { compileSnapshot, yieldToLoop } from './compile.js';
import type { CredentialRow, ResourceRow, SnapshotInput } from './load.js';

const NOW = new Date().toISOString();

function row(type: string, id: string, data: object): ResourceRow {
  return { type, id, data: JSON.stringify(data), version: 1, created_at: NOW, updated_at: NOW };
}

function bigInput(endpoints: number, credentials: number): SnapshotInput {
  const resources: ResourceRow[] = [row('collections', 'col_1', { slug: 'c', name: 'C', description: '', published: true, allowAnonymous: false })];
  const proxies = 100;
  for (let p = 0; p < proxies; p++) {
    resources.push(
      row('proxies', `prx_${p}`, {
        collectionId: 'col_1',
        name: `P${p}`,
        basePath: `/api${p}/v1`,
        upstreams: ['http://127.0.0.1:9'],
        timeouts: { connectMs: 1000, responseMs: 1000 },
        retries: 0,
        captureBodies: { enabled: false, maxBytes: 0, redactFields: [] },
      }),
    );
  }
  for (let e = 0; e < endpoints; e++) {
    resources.push(
      row('endpoints', `ep_${e}`, {
        proxyId: `prx_${e % proxies}`,
        method: 'GET',
        path: `/things${e}/{id}/parts`,
        summary: 'A typical endpoint with a summary line',
        description: '',
        parameters: [{ name: 'id', in: 'path', required: true }],
        responses: {},
        mcpExposed: true,
      }),
    );
  }
  const clients = 1000;
  for (let c = 0; c < clients; c++) {
    resources.push(row('clients', `cli_${c}`, { name: `C${c}`, description: '', status: 'active', collectionIds: ['col_1'], policyId: null }));
    resources.push(
      row('profiles', `prf_${c}`, {
        clientId: `cli_${c}`,
        name: 'P',
        authType: 'token',
        allowedMethods: ['GET'],
        ipAllowlist: [],
        collectionIds: null,
        policyId: null,
      }),
    );
  }
  const creds: CredentialRow[] = [];
  for (let i = 0; i < credentials; i++) {
    const c = i % clients;
    creds.push({
      id: `crd_${i}`,
      profile_id: `prf_${c}`,
      client_id: `cli_${c}`,
      token_hash: hashToken(`ghk_token_${i}`),
      status: 'active',
      expires_at: null,
      grace_until: null,
    });
  }
  return { resources, credentials: creds };
}

describe('snapshot compiler', () => {
  it('compiles 10,000 endpoints and 100,000 credentials in well under 200 MB', () => {
    let input: SnapshotInput | null = bigInput(10_000, 100_000);
    const before = process.memoryUsage().heapUsed;
    const snapshot = compileSnapshot(input);
    input = null;
    const grown = process.memoryUsage().heapUsed - before;
    expect(snapshot.tokens.size).toBe(100_000);
    expect(snapshot.proxies.size).toBe(100);
    const found = snapshot.tokens.find(Buffer.from(hashToken('ghk_token_99999'), 'hex').toString('latin1'));
    expect(snapshot.tokens.profile(found)?.profile.id).toBe('prf_999');
    expect(snapshot.tokens.find(Buffer.from(hashToken('ghk_not_issued'), 'hex').toString('latin1'))).toBe(-1);
    // Heap growth includes compile-time garbage, so this bounds the retained snapshot from above.
    expect(grown).toBeLessThan(150 * 1024 * 1024);
    // The packed token index itself: digests, slots and typed per-credential fields.
    expect(snapshot.tokens.byteLength).toBeLessThan(10 * 1024 * 1024);
  });

  it('leaves out rows that do not parse instead of failing the snapshot', () => {
    const invalid: string[] = [];
    const snapshot = compileSnapshot(
      { resources: [row('collections', 'col_x', { slug: 'NOT A SLUG' }), { ...row('clients', 'cli_x', {}), data: '{' }], credentials: [] },
      (type, id) => invalid.push(`${type}/${id}`),
    );
    expect(invalid).toEqual(['collections/col_x', 'clients/cli_x']);
    expect(snapshot.collections.size).toBe(0);
  });

  it('refuses the calls of a client whose policy row did not parse, rather than lifting its limits', () => {
    const invalid: string[] = [];
    const snapshot = compileSnapshot(
      {
        resources: [
          row('policies', 'pol_bad', { name: 'broken', rateLimits: 'not a list' }),
          row('clients', 'cli_1', { name: 'C', description: '', status: 'active', collectionIds: [], policyId: 'pol_bad' }),
          row('profiles', 'prf_1', {
            clientId: 'cli_1',
            name: 'P',
            authType: 'token',
            allowedMethods: ['GET'],
            ipAllowlist: [],
            collectionIds: null,
            policyId: null,
          }),
        ],
        credentials: [],
      },
      (type, id) => invalid.push(`${type}/${id}`),
    );
    expect(invalid).toEqual(['policies/pol_bad']);
    expect(snapshot.profiles.get('prf_1')?.limits).toEqual({ key: 'c:cli_1', rules: [], unavailable: true });
  });
});

describe('yieldToLoop', () => {
  it('lets what I/O queued for the check phase run before the work resumes', async () => {
    const order: string[] = [];
    const yielded = yieldToLoop().then(() => order.push('work'));
    // Queued after the yield, as undici queues a write to a kept-alive socket while a proxied call comes in.
    setImmediate(() => order.push('immediate of the I/O'));
    await yielded;
    expect(order).toEqual(['immediate of the I/O', 'work']);
  });
});
