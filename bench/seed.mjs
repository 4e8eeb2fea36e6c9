// Seeds Gatehouse data directories for the benchmark through the management plane (the same
// audited executor the CLI uses). Only the 100k credentials of the memory check are bulk-inserted
// straight into the credentials table, in the stored format (sha256 of the token, never the token).
import { randomBytes } from 'node:crypto';
import { openLocalPlane } from '../dist/node/local.js';
import { hashToken } from '../dist/core/tokens.js';
import { openDatabase } from '../dist/store/database.js';

async function withPlane(dataDir, fn, database = {}) {
  const plane = await openLocalPlane({ dataDir, logLevel: 'warn', ...database });
  try {
    const run = (op, input) => plane.executor.execute(op, input, plane.call);
    return await fn(run);
  } finally {
    await plane.close();
  }
}

/**
 * The throughput configuration:
 * - `/plain/items`: a published collection with `allowAnonymous: true`, called with no credential
 *   and no X-Profile-ID: no auth, no limits, only match + upstream + request log (the cheapest path).
 * - `/auth/items`: a published collection reached with a `token` profile whose client policy has a
 *   100,000,000/minute rate limit (never triggers, but is counted on every call).
 * - `POST /auth/items` with a small JSON body: the same, as the baseline of the workflow scenario.
 * - `POST /wf/items`: the same caller and policy through a five-node workflow (set a header from the
 *   caller, a CEL condition, a route, validate_request on the JSON body, a response header).
 * - `GET /cache/items`: the same caller and policy through a cache node (every call after the first a hit).
 * - `GET /backend-oauth/items`: the same caller and policy, the upstream call carrying an
 *   `oauth2_client_credentials` backend credential (its token, from the upstream's /oauth/token, cached).
 * Request logging is always on.
 */
export async function seedThroughput(dataDir, upstreamUrl) {
  return withPlane(dataDir, async (run) => {
    const plainCol = await run('collections.create', { slug: 'bench-plain', name: 'Bench plain', published: true, allowAnonymous: true });
    const plainProxy = await run('proxies.create', { collectionId: plainCol.id, name: 'Plain', basePath: '/plain', upstreams: [upstreamUrl] });
    await run('endpoints.create', { proxyId: plainProxy.id, method: 'GET', path: '/items' });

    const authCol = await run('collections.create', { slug: 'bench-auth', name: 'Bench auth', published: true });
    const authProxy = await run('proxies.create', { collectionId: authCol.id, name: 'Auth', basePath: '/auth', upstreams: [upstreamUrl] });
    await run('endpoints.create', { proxyId: authProxy.id, method: 'GET', path: '/items' });
    const itemSchema = {
      type: 'object',
      required: ['name', 'qty'],
      properties: { name: { type: 'string', minLength: 1 }, qty: { type: 'integer', minimum: 1 } },
    };
    await run('endpoints.create', { proxyId: authProxy.id, method: 'POST', path: '/items', requestBody: itemSchema, requestBodyRequired: true });

    const fiveNodes = await run('workflows.create', {
      name: 'bench-five-nodes',
      request: [
        { type: 'set_headers', id: 'tenant', headers: { 'X-Tenant': '{{caller.client.id}}' } },
        {
          type: 'condition',
          id: 'is-write',
          expression: 'request.method == "POST"',
          then: [{ type: 'set_headers', id: 'write', headers: { 'X-Write': '1' } }],
        },
        { type: 'route', id: 'route', groups: [{ name: 'primary', upstreams: [upstreamUrl] }] },
        { type: 'validate_request', id: 'contract', parameters: false },
      ],
      response: [{ type: 'set_headers', id: 'served', headers: { 'X-Served-By': 'gatehouse' } }],
      bodyLimitBytes: 65_536,
    });
    const wfProxy = await run('proxies.create', {
      collectionId: authCol.id,
      name: 'Workflow',
      basePath: '/wf',
      upstreams: [upstreamUrl],
      workflowId: fiveNodes.id,
    });
    await run('endpoints.create', { proxyId: wfProxy.id, method: 'POST', path: '/items', requestBody: itemSchema, requestBodyRequired: true });

    const cached = await run('workflows.create', { name: 'bench-cache', request: [{ type: 'cache', id: 'cache', ttlSeconds: 3600 }], bodyLimitBytes: 65_536 });
    const cacheProxy = await run('proxies.create', {
      collectionId: authCol.id,
      name: 'Cached',
      basePath: '/cache',
      upstreams: [upstreamUrl],
      workflowId: cached.id,
    });
    await run('endpoints.create', { proxyId: cacheProxy.id, method: 'GET', path: '/items' });
    const oauth = await run('backend-credentials.create', {
      name: 'bench-oauth2',
      type: 'oauth2_client_credentials',
      tokenUrl: `${upstreamUrl}/oauth/token`,
      clientId: 'bench',
      clientSecret: 'bench-secret',
    });
    const oauthProxy = await run('proxies.create', {
      collectionId: authCol.id,
      name: 'OAuth2 backend',
      basePath: '/backend-oauth',
      upstreams: [upstreamUrl],
      backendCredentialId: oauth.id,
    });
    await run('endpoints.create', { proxyId: oauthProxy.id, method: 'GET', path: '/items' });
    const policy = await run('policies.create', { name: 'bench', rateLimits: [{ window: 'minute', limit: 100_000_000 }] });
    const client = await run('clients.create', { name: 'Bench client', collectionIds: [authCol.id], policyId: policy.id });
    const profile = await run('profiles.create', { clientId: client.id, name: 'default', authType: 'token' });
    const issued = await run('credentials.issue', { profileId: profile.id });
    return {
      plainPath: '/plain/items',
      authPath: '/auth/items',
      workflowPath: '/wf/items',
      cachePath: '/cache/items',
      oauthPath: '/backend-oauth/items',
      postBody: '{"name":"pen","qty":2}',
      token: issued.token,
    };
  });
}

/**
 * The memory configuration: `endpoints` endpoints (100 per proxy, 100 proxies per collection)
 * through the executor, `clients` clients with one token profile each under one policy, and
 * `credentials` active tokens spread evenly over those profiles, bulk-inserted; in SQLite in
 * `dataDir`, or in PostgreSQL when `database` gives `{ databaseUrl, databaseSchema }`.
 * Returns a path and a working token.
 */
export async function seedLarge(dataDir, upstreamUrl, { endpoints = 10_000, credentials = 100_000, clients = 100, log = () => {}, database = {} } = {}) {
  return withPlane(
    dataDir,
    async (run) => {
      const PER_PROXY = 100;
      const PROXIES_PER_COLLECTION = 10;
      const proxies = Math.ceil(endpoints / PER_PROXY);
      const collectionIds = [];
      let firstPath = null;
      let made = 0;
      const t0 = Date.now();
      for (let p = 0; p < proxies; p++) {
        if (p % PROXIES_PER_COLLECTION === 0) {
          const c = await run('collections.create', {
            slug: `mem-${p / PROXIES_PER_COLLECTION}`,
            name: `Memory ${p / PROXIES_PER_COLLECTION}`,
            published: true,
          });
          collectionIds.push(c.id);
        }
        const proxy = await run('proxies.create', { collectionId: collectionIds.at(-1), name: `P${p}`, basePath: `/mem/p${p}`, upstreams: [upstreamUrl] });
        for (let e = 0; e < PER_PROXY && made < endpoints; e++, made++) {
          // A mix of static and templated paths and methods, as real APIs have.
          const path = e % 4 === 0 ? `/r${e}` : `/r${e}/{id}${e % 3 === 0 ? '/items' : ''}`;
          const method = ['GET', 'POST', 'PUT', 'DELETE'][e % 4];
          await run('endpoints.create', { proxyId: proxy.id, method, path, summary: `endpoint ${e} of proxy ${p}` });
          if (firstPath === null) firstPath = `/mem/p${p}${path}`;
        }
        if ((p + 1) % 20 === 0) log(`  ${made.toLocaleString()} endpoints (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
      }
      const policy = await run('policies.create', { name: 'mem', rateLimits: [{ window: 'minute', limit: 100_000_000 }] });
      const profiles = [];
      for (let c = 0; c < clients; c++) {
        const client = await run('clients.create', { name: `Mem client ${c}`, collectionIds, policyId: policy.id });
        const profile = await run('profiles.create', { clientId: client.id, name: 'default', authType: 'token' });
        profiles.push(profile);
      }
      // Bulk insert: same row format as credentials.issue (id, sha256 hash, display prefix, status).
      const now = new Date().toISOString();
      let token = null;
      const BATCH = 500;
      const store = openDatabase({ dataDir, ...(database.databaseUrl ? { url: database.databaseUrl, pgSchema: database.databaseSchema } : {}) });
      await store.db.transaction().execute(async (trx) => {
        for (let i = 0; i < credentials; i += BATCH) {
          const rows = [];
          for (let j = i; j < Math.min(i + BATCH, credentials); j++) {
            const t = `ghk_${randomBytes(32).toString('base64url')}`;
            if (j === 0) token = t;
            const profile = profiles[j % profiles.length];
            rows.push({
              id: `crd_${randomBytes(12).toString('base64url')}`,
              profile_id: profile.id,
              client_id: profile.clientId,
              token_hash: hashToken(t),
              prefix: t.slice(0, 10),
              status: 'active',
              expires_at: null,
              grace_until: null,
              created_at: now,
            });
          }
          await trx.insertInto('credentials').values(rows).execute();
        }
      });
      await store.close();
      return { path: firstPath, token, endpoints: made, credentials };
    },
    database,
  );
}
