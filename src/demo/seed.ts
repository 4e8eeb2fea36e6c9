import type { Collection, Endpoint, IssuedCredential, Policy, Profile } from '../core/index.js';
import type { ApiProxy, Client, HttpMethod } from '../core/index.js';
import { SYSTEM_PRINCIPAL } from '../management/bootstrap.js';
import type { CallContext, Executor } from '../management/executor.js';
import { ORDERS_OPENAPI } from './orders-api.js';

export interface DemoSeed {
  basePath: string;
  token: string;
  clientId: string;
  profileId: string;
}

const CALL: CallContext = { principal: SYSTEM_PRINCIPAL, channel: 'cli', requestId: 'demo', localAdmin: true };

type Page<T> = { items: T[] };

/**
 * Creates (or, on a later start, refreshes) the demo catalog through the executor, so the demo is
 * audited like any other change: a published collection, a proxy to the sample upstream with its
 * endpoints, a policy, a client with a token profile, and a fresh token (the previous one rotated out).
 */
export async function seedDemo(executor: Executor, upstreamUrl: string): Promise<DemoSeed> {
  const run = <T>(op: string, input: unknown) => executor.execute(op, input, CALL) as Promise<T>;
  const basePath = '/demo/orders/v1';

  let collection = (await run<Page<Collection>>('collections.list', { q: 'demo-orders' })).items.find((c) => c.slug === 'demo-orders');
  collection ??= await run<Collection>('collections.create', {
    slug: 'demo-orders',
    name: 'Demo: Orders',
    description: 'The sample orders API that ships with Gatehouse.',
    published: true,
  });

  let proxy = (await run<Page<ApiProxy>>('proxies.list', { collectionId: collection.id })).items.find((p) => p.basePath === basePath);
  if (!proxy) {
    proxy = await run<ApiProxy>('proxies.create', { collectionId: collection.id, name: 'Orders v1', basePath, upstreams: [upstreamUrl] });
    for (const [path, ops] of Object.entries(ORDERS_OPENAPI.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const spec = op as { operationId: string; summary: string; parameters?: Array<{ name: string; in: string; required: boolean; schema: object }> };
        await run<Endpoint>('endpoints.create', {
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

  let policy = (await run<Page<Policy>>('policies.list', { q: 'demo' })).items.find((p) => p.name === 'demo');
  policy ??= await run<Policy>('policies.create', { name: 'demo', rateLimits: [{ window: 'minute', limit: 600 }], quotas: [{ period: 'day', limit: 100_000 }] });

  let client = (await run<Page<Client>>('clients.list', { q: 'Demo partner' })).items.find((c) => c.name === 'Demo partner');
  client ??= await run<Client>('clients.create', { name: 'Demo partner', collectionIds: [collection.id], policyId: policy.id });

  let profile = (await run<Page<Profile>>('profiles.list', { clientId: client.id })).items.find((p) => p.name === 'default');
  profile ??= await run<Profile>('profiles.create', { clientId: client.id, name: 'default', authType: 'token' });

  const issued = await run<IssuedCredential>('credentials.rotate', { profileId: profile.id, gracePeriodSeconds: 0 });
  return { basePath, token: issued.token, clientId: client.id, profileId: profile.id };
}
