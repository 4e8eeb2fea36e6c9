import type { Server } from 'node:http';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import {
  ClientInput,
  CollectionInput,
  EndpointInput,
  generateToken,
  hashToken,
  ID_PREFIX,
  newId,
  PolicyInput,
  ProfileInput,
  ProxyInput,
  type RequestRecord,
  tokenPrefix,
} from '../../src/core/index.js';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/gateway/index.js';
import { createMemoryLimiter } from '../../src/gateway/limits/memory.js';
import { listen } from '../../src/http/listen.js';
import { createSnapshotHolder, type SnapshotHolder } from '../../src/gateway/snapshot/holder.js';
import { type ChangeFeed, createLocalChangeFeed } from '../../src/store/change-feed.js';
import type { DB } from '../../src/store/schema.js';
import type { Recorder } from '../../src/telemetry/recorder.js';

type ResourceKind = 'collections' | 'proxies' | 'endpoints' | 'policies' | 'clients' | 'profiles';

/** Inserts config rows in the stored format the management plane writes. */
export class Fixtures {
  constructor(private readonly db: Kysely<DB>) {}

  private async insert(type: ResourceKind, key: string, data: object, parentId: string | null, collectionId: string | null): Promise<string> {
    const id = newId(ID_PREFIX[type]);
    const now = new Date().toISOString();
    await this.db
      .insertInto('resources')
      .values({ type, id, key, parent_id: parentId, collection_id: collectionId, data: JSON.stringify(data), version: 1, created_at: now, updated_at: now })
      .execute();
    return id;
  }

  collection(input: Partial<z.input<typeof CollectionInput>> = {}): Promise<string> {
    const data = CollectionInput.parse({
      slug: newId('c')
        .toLowerCase()
        .replace(/[^a-z0-9]/g, ''),
      name: 'Orders',
      published: true,
      ...input,
    });
    return this.insert('collections', data.slug, data, null, null);
  }

  async proxy(input: Partial<z.input<typeof ProxyInput>> & Pick<z.input<typeof ProxyInput>, 'collectionId' | 'basePath' | 'upstreams'>) {
    const data = ProxyInput.parse({ name: input.basePath, ...input });
    return this.insert('proxies', data.basePath, data, data.collectionId, data.collectionId);
  }

  endpoint(proxyId: string, method: z.input<typeof EndpointInput>['method'], path: string, collectionId: string | null = null): Promise<string> {
    const data = EndpointInput.parse({ proxyId, method, path });
    return this.insert('endpoints', `${proxyId} ${method} ${path}`, data, proxyId, collectionId);
  }

  policy(input: Partial<z.input<typeof PolicyInput>> = {}): Promise<string> {
    const data = PolicyInput.parse({ name: newId('policy'), ...input });
    return this.insert('policies', data.name, data, null, null);
  }

  client(input: Partial<z.input<typeof ClientInput>> = {}): Promise<string> {
    const data = ClientInput.parse({ name: newId('client'), ...input });
    return this.insert('clients', data.name, data, null, null);
  }

  profile(input: Partial<z.input<typeof ProfileInput>> & Pick<z.input<typeof ProfileInput>, 'clientId' | 'authType'>): Promise<string> {
    const data = ProfileInput.parse({ name: newId('profile'), ...input });
    return this.insert('profiles', `${data.clientId} ${data.name}`, data, data.clientId, null);
  }

  /** Issues a token credential; returns the token (only its hash is stored). */
  async credential(
    profileId: string,
    clientId: string,
    opts: { status?: 'active' | 'rotated' | 'revoked'; expiresAt?: string | null; graceUntil?: string | null } = {},
  ): Promise<{ id: string; token: string }> {
    const token = generateToken();
    const id = newId(ID_PREFIX.credentials);
    await this.db
      .insertInto('credentials')
      .values({
        id,
        profile_id: profileId,
        client_id: clientId,
        token_hash: hashToken(token),
        prefix: tokenPrefix(token),
        status: opts.status ?? 'active',
        expires_at: opts.expiresAt ?? null,
        grace_until: opts.graceUntil ?? null,
        created_at: new Date().toISOString(),
      })
      .execute();
    return { id, token };
  }

  /** A published collection with the orders proxy and its endpoints, and a client granted it with a token profile. */
  async ordersApi(upstreams: string[], basePath = '/shop/v1', proxy: Partial<z.input<typeof ProxyInput>> = {}) {
    const collectionId = await this.collection();
    const proxyId = await this.proxy({ collectionId, basePath, upstreams, ...proxy });
    for (const [m, p] of [
      ['GET', '/orders'],
      ['POST', '/orders'],
      ['GET', '/orders/{id}'],
      ['DELETE', '/orders/{id}'],
      ['GET', '/echo-headers'],
      ['POST', '/echo-headers'],
      ['GET', '/slow'],
      ['GET', '/download'],
      ['GET', '/events'],
      ['POST', '/upload'],
      ['PUT', '/upload'],
      ['GET', '/broken'],
      ['POST', '/refuse-upload'],
    ] as const)
      await this.endpoint(proxyId, m, p, collectionId);
    return { collectionId, proxyId };
  }
}

/** A Recorder that keeps entries in memory for assertions. */
export class MemoryRecorder implements Recorder {
  readonly entries: RequestRecord[] = [];
  record(entry: RequestRecord): void {
    this.entries.push(entry);
  }
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
  /** The entry for a request id, waiting briefly since recording follows the response. */
  async find(requestId: string): Promise<RequestRecord> {
    for (let i = 0; i < 100; i++) {
      const hit = this.entries.find((e) => e.requestId === requestId);
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no record for ${requestId}`);
  }
}

/** A gateway listening on an ephemeral loopback port. */
export interface RunningGateway {
  url: string;
  gateway: Gateway;
  holder: SnapshotHolder;
  feed: ChangeFeed;
  recorder: MemoryRecorder;
  server: Server;
  close(): Promise<void>;
}

/** Starts a gateway (memory limiter unless given) over the database, behind the server's own node:http listener. */
export async function startGateway(
  db: Kysely<DB>,
  opts: Partial<Omit<GatewayOptions, 'snapshots' | 'recorder'>> & { feed?: ChangeFeed } = {},
): Promise<RunningGateway> {
  const feed = opts.feed ?? createLocalChangeFeed();
  const holder = await createSnapshotHolder({ db, feed });
  const recorder = new MemoryRecorder();
  const limiter = opts.limiter ?? createMemoryLimiter();
  const gateway = createGateway({ ...opts, snapshots: holder, recorder, limiter });
  const { server, url } = await listen((req, res) => gateway.handle(req, res), '127.0.0.1', 0);
  return {
    url,
    gateway,
    holder,
    feed,
    recorder,
    server,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.close();
      holder.close();
      if (!opts.limiter) await limiter.close();
    },
  };
}
