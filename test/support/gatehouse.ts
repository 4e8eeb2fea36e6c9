import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { Role, RoleScope } from '../../src/core/index.js';
import { type RunningGatehouse, startGatehouse } from '../../src/node/index.js';
import { SYSTEM_PRINCIPAL } from '../../src/management/bootstrap.js';
import { type TestDatabase, freshDatabase } from './databases.js';
import { clientCredentialsToken, loginWithPassword } from './oauth.js';

export interface TestGatehouse {
  gh: RunningGatehouse;
  db: TestDatabase;
  /** The admin API base, e.g. http://127.0.0.1:1234/admin/api/v1 */
  api: string;
  adminToken: string;
  /** A new service account with this role, and a token for the admin API. */
  serviceAccount(role: Role, scope?: RoleScope): Promise<{ clientId: string; clientSecret: string; token: string }>;
  /** A new local user with this role, signed in through the login page. */
  user(role: Role, scope?: RoleScope): Promise<{ id: string; username: string; token: string }>;
  close(): Promise<void>;
}

export const ADMIN_PASSWORD = 'correct-horse-battery-staple';

/** Starts a real gateway on an ephemeral loopback port over a fresh database of the given dialect. */
export async function startTestGatehouse(dialect: 'sqlite' | 'postgres' = 'sqlite', extra: Record<string, unknown> = {}): Promise<TestGatehouse> {
  const db = await freshDatabase(dialect);
  const gh = await startGatehouse({
    port: 0,
    dataDir: db.dataDir,
    ...(dialect === 'postgres' ? { databaseUrl: db.env.GATEHOUSE_DATABASE_URL, databaseSchema: db.env.GATEHOUSE_DATABASE_SCHEMA } : {}),
    adminPassword: ADMIN_PASSWORD,
    logLevel: 'silent',
    // Tests' upstream MCP servers listen on loopback (a test of the refusal passes false).
    mcpAllowPrivateUpstreams: true,
    ...extra,
  });
  const issuer = gh.urls.issuer;
  const resource = gh.urls.adminApi;
  const { accessToken: adminToken } = await loginWithPassword({ issuer, username: 'admin', password: ADMIN_PASSWORD, resource });
  const local = { principal: SYSTEM_PRINCIPAL, channel: 'cli' as const, requestId: 'test', localAdmin: true };
  return {
    gh,
    db,
    api: resource,
    adminToken,
    async serviceAccount(role, scope = {}) {
      const out = (await gh.executor.execute('service-accounts.create', { name: `sa-${role}-${randomBytes(4).toString('hex')}`, role, scope }, local)) as {
        serviceAccount: { clientId: string };
        clientSecret: string;
      };
      const clientId = out.serviceAccount.clientId;
      const token = await clientCredentialsToken({ issuer, clientId, clientSecret: out.clientSecret, resource });
      return { clientId, clientSecret: out.clientSecret, token };
    },
    async user(role, scope = {}) {
      const username = `user-${randomBytes(4).toString('hex')}`;
      const password = randomBytes(12).toString('base64url');
      const created = (await gh.executor.execute('users.create', { username, password, role, scope }, local)) as { id: string };
      const { accessToken } = await loginWithPassword({ issuer, username, password, resource });
      return { id: created.id, username, token: accessToken };
    },
    async close() {
      await gh.close();
      await db.drop();
    },
  };
}

/** A JSON call to the admin API with a bearer token; returns status, headers and parsed body. */
export async function call(
  api: string,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(api + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** Creates a resource through the admin API as the admin (a POST that must answer 201): its body, with its id. */
export async function created(t: TestGatehouse, path: string, body: unknown): Promise<{ id: string } & Record<string, any>> {
  const res = await call(t.api, t.adminToken, 'POST', path, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}
