import type { HttpMethod } from '../core/index.js';
import { SYSTEM_PRINCIPAL } from '../management/bootstrap.js';
import type { OperationCall, Executor } from '../management/executor.js';
import type { OperationInput, OperationName } from '../management/registry.js';
import { ORDERS_OPENAPI } from './orders-api.js';

export interface DemoSeed {
  basePath: string;
  token: string;
  clientId: string;
  profileId: string;
}

const CALL: OperationCall = { principal: SYSTEM_PRINCIPAL, channel: 'cli', requestId: 'demo', localAdmin: true };

/**
 * Creates (or, on a later start, refreshes) the demo catalog through the executor, so the demo is
 * audited like any other change: a published collection, a proxy to the sample upstream with its
 * endpoints, a policy, a client with a token profile, and a fresh token (the previous one rotated out).
 */
export async function seedDemo(executor: Executor, upstreamUrl: string): Promise<DemoSeed> {
  const run = <N extends OperationName>(op: N, input: OperationInput<N>) => executor.execute(op, input, CALL);
  const basePath = '/demo/orders/v1';

  let collection = (await run('collections.list', { q: 'demo-orders' })).items.find((c) => c.slug === 'demo-orders');
  collection ??= await run('collections.create', {
    slug: 'demo-orders',
    name: 'Demo: Orders',
    description: 'The sample orders API that ships with Gatehouse.',
    published: true,
  });

  let proxy = (await run('proxies.list', { collectionId: collection.id })).items.find((p) => p.basePath === basePath);
  if (!proxy) {
    proxy = await run('proxies.create', { collectionId: collection.id, name: 'Orders v1', basePath, upstreams: [upstreamUrl] });
    for (const [path, ops] of Object.entries(ORDERS_OPENAPI.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const spec = op as { operationId: string; summary: string; parameters?: OperationInput<'endpoints.create'>['parameters'] };
        await run('endpoints.create', {
          proxyId: proxy.id,
          method: method.toUpperCase() as HttpMethod,
          path,
          operationId: spec.operationId,
          summary: spec.summary,
          parameters: spec.parameters ?? [],
        });
      }
    }
  } else if (proxy.upstreams[0] !== upstreamUrl) {
    // The sample upstream listens on a fresh port each start.
    await run('proxies.update', { id: proxy.id, upstreams: [upstreamUrl] });
  }

  let policy = (await run('policies.list', { q: 'demo' })).items.find((p) => p.name === 'demo');
  policy ??= await run('policies.create', { name: 'demo', rateLimits: [{ window: 'minute', limit: 600 }], quotas: [{ period: 'day', limit: 100_000 }] });

  let client = (await run('clients.list', { q: 'Demo partner' })).items.find((c) => c.name === 'Demo partner');
  client ??= await run('clients.create', { name: 'Demo partner', collectionIds: [collection.id], policyId: policy.id });

  let profile = (await run('profiles.list', { clientId: client.id })).items.find((p) => p.name === 'default');
  profile ??= await run('profiles.create', { clientId: client.id, name: 'default', authType: 'token' });

  const issued = await run('credentials.rotate', { profileId: profile.id, gracePeriodSeconds: 0 });
  return { basePath, token: issued.token, clientId: client.id, profileId: profile.id };
}
