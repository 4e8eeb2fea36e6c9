import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatehouseError } from '../../src/core/errors.js';
import { createExternalVerifier, type TokenVerifier } from '../../src/identity/token-verifier.js';
import { putSecret } from '../../src/store/repositories/secrets.js';
import { SecretBox } from '../../src/store/secret-box.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { clientCredentialsToken, serveAuthorizationServer, tokenRequest } from '../support/oauth.js';

// A stand-in for a company IdP (Keycloak, Okta, …): a separate oidc-provider with its own issuer,
// issuing JWT access tokens with a custom audience and a `roles` groups claim.
const GATEWAY = 'https://gateway.example.com';
const ADMIN_API = `${GATEWAY}/admin/api/v1`;
const MCP = `${GATEWAY}/management/mcp`;
const IDP_AUDIENCE = 'api://gatehouse';

let idp: Server;
let idpIssuer: string;
let database: TestDatabase;
let builtIn: Awaited<ReturnType<typeof serveAuthorizationServer>>;
let verifier: TokenVerifier;
const secrets = new SecretBox(randomBytes(32));

async function startIdp(): Promise<void> {
  idp = createServer();
  await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
  idpIssuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const provider = new Provider(idpIssuer, {
    jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'idp-key' }] },
    clients: [
      { client_id: 'ci-pipeline', client_secret: 'ci-secret', grant_types: ['client_credentials'], redirect_uris: [], response_types: [] },
      { client_id: 'reporting', client_secret: 'reporting-secret', grant_types: ['client_credentials'], redirect_uris: [], response_types: [] },
    ],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => ADMIN_API,
        getResourceServerInfo: (_ctx, resource) => ({
          scope: 'read write',
          audience: resource === ADMIN_API ? IDP_AUDIENCE : resource,
          accessTokenFormat: 'jwt',
          accessTokenTTL: 300,
        }),
      },
    },
    extraTokenClaims: (ctx) => (ctx.oidc.client?.clientId === 'reporting' ? { roles: 'auditors readers' } : { roles: ['platform-admins', 'ci'] }),
  });
  idp.on('request', provider.callback());
}

async function idpToken(clientId: string, secret: string, resource: string): Promise<string> {
  const { status, body } = await tokenRequest(idpIssuer, { grant_type: 'client_credentials', resource, scope: 'read' }, { clientId, clientSecret: secret });
  expect(status).toBe(200);
  return body.access_token as string;
}

async function expectRefused(promise: Promise<unknown>, message: RegExp): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GatehouseError);
  expect((err as GatehouseError).code).toBe('GATEHOUSE_INVALID_TOKEN');
  expect((err as GatehouseError).message).toMatch(message);
}

beforeAll(async () => {
  await startIdp();
  verifier = await createExternalVerifier({ issuer: idpIssuer, allowHttp: true, audiences: { [ADMIN_API]: IDP_AUDIENCE }, groupsClaim: 'roles' });
  database = await freshDatabase('sqlite');
  builtIn = await serveAuthorizationServer({ db: database.db, secrets });
});

afterAll(async () => {
  idp?.closeAllConnections();
  await new Promise((resolve) => idp?.close(resolve));
  await builtIn?.close();
  await database?.drop();
});

describe('external IdP verification', () => {
  it('accepts the IdP tokens for the configured audience and reads groups from the configured claim', async () => {
    const token = await idpToken('ci-pipeline', 'ci-secret', ADMIN_API);
    expect(await verifier.verify(token, ADMIN_API)).toEqual({
      subject: 'ci-pipeline',
      name: 'ci-pipeline',
      kind: 'service',
      groups: ['platform-admins', 'ci'],
      clientId: 'ci-pipeline',
      scopes: ['read'],
      audience: [IDP_AUDIENCE],
    });
  });

  it('reads a space-separated groups claim', async () => {
    const token = await idpToken('reporting', 'reporting-secret', ADMIN_API);
    expect((await verifier.verify(token, ADMIN_API)).groups).toEqual(['auditors', 'readers']);
  });

  it('refuses a token minted for another resource', async () => {
    const mcpToken = await idpToken('ci-pipeline', 'ci-secret', MCP);
    expect((await verifier.verify(mcpToken, MCP)).subject).toBe('ci-pipeline');
    await expectRefused(verifier.verify(mcpToken, ADMIN_API), /not for this resource/);
    const adminToken = await idpToken('ci-pipeline', 'ci-secret', ADMIN_API);
    await expectRefused(verifier.verify(adminToken, MCP), /not for this resource/);
  });

  it('refuses tokens from the built-in issuer', async () => {
    const now = new Date().toISOString();
    const data = JSON.stringify({ name: 'ci', description: '', clientId: 'sa_ci', role: 'admin', scope: {} });
    await database.db
      .insertInto('resources')
      .values({ type: 'service-accounts', id: 'sa_ci', key: 'ci', parent_id: null, collection_id: null, data, version: 1, created_at: now, updated_at: now })
      .execute();
    await putSecret(database.db, 'service-accounts', 'sa_ci', secrets.seal('built-in-secret'));
    const resource = builtIn.resources[0] as string;
    const token = await clientCredentialsToken({ issuer: builtIn.issuer, clientId: 'sa_ci', clientSecret: 'built-in-secret', resource });
    const forBuiltInAudience = await createExternalVerifier({ issuer: idpIssuer, allowHttp: true });
    await expectRefused(forBuiltInAudience.verify(token, resource), /issuer|signature/);
  });

  it('refuses an IdP whose discovery names another issuer, and http issuers unless allowed', async () => {
    await expect(createExternalVerifier({ issuer: `${idpIssuer}/`, allowHttp: true })).rejects.toThrow(/names issuer/);
    await expect(createExternalVerifier({ issuer: idpIssuer })).rejects.toThrow(/https/);
  });
});
