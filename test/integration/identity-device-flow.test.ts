import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/core/index.js';
import { hashPassword } from '../../src/identity/index.js';
import { insertUser } from '../../src/store/repositories/users.js';
import { SecretBox } from '../../src/store/secret-box.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { enterDeviceCode, type DeviceAuthorization } from '../support/device.js';
import { serveAuthorizationServer, tokenRequest } from '../support/oauth.js';
import { randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

describe('device authorization grant (RFC 8628) on the built-in authorization server', () => {
  let db: TestDatabase;
  let as: Awaited<ReturnType<typeof serveAuthorizationServer>>;
  const password = 'device-flow-password';

  beforeAll(async () => {
    db = await freshDatabase('sqlite');
    const now = new Date().toISOString();
    await insertUser(db.db, { id: newId('usr'), username: 'dora', password_hash: await hashPassword(password), disabled: 0, created_at: now, updated_at: now });
    as = await serveAuthorizationServer({ db: db.db, secrets: new SecretBox(randomBytes(32)) });
  });
  afterAll(async () => {
    await as?.close();
    await db?.drop();
  });

  async function startDevice(extra: Record<string, string> = {}): Promise<DeviceAuthorization> {
    const discovery = (await (await fetch(`${as.issuer}/.well-known/openid-configuration`)).json()) as { device_authorization_endpoint: string };
    expect(discovery.device_authorization_endpoint).toBe(`${as.issuer}/device/auth`);
    const res = await fetch(discovery.device_authorization_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: 'gatehouse-cli', scope: 'openid offline_access', resource: as.resources[0]!, ...extra }).toString(),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as DeviceAuthorization;
  }

  const poll = (device: DeviceAuthorization) =>
    tokenRequest(as.issuer, { grant_type: DEVICE_GRANT, device_code: device.device_code, client_id: 'gatehouse-cli', resource: as.resources[0]! });

  it('issues an access token for the admin API and a refresh token once the user signs in on another device', async () => {
    const device = await startDevice();
    expect(device.user_code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    expect((await poll(device)).body.error).toBe('authorization_pending');
    const done = await enterDeviceCode({ verificationUri: device.verification_uri, userCode: device.user_code, username: 'dora', password });
    expect(done.status).toBe(200);
    expect(done.page).toContain('Signed in');
    const tokens = await poll(device);
    expect(tokens.status).toBe(200);
    const claims = decodeJwt(String(tokens.body.access_token));
    expect(claims.aud).toBe(as.resources[0]);
    expect(claims.name).toBe('dora');
    expect(typeof tokens.body.refresh_token).toBe('string');
    // A device code is good for one token only.
    expect((await poll(device)).status).toBe(400);
  });

  it('shows a clear error for a wrong code, and tells the device when the user aborts', async () => {
    const device = await startDevice();
    const wrong = await enterDeviceCode({ verificationUri: device.verification_uri, userCode: 'BCDF-GHJK', username: 'dora', password });
    expect(wrong.page).toContain('not known here');
    const aborted = await enterDeviceCode({ verificationUri: device.verification_uri, userCode: device.user_code, username: 'dora', password, abort: true });
    expect(aborted.page).toContain('aborted');
    expect((await poll(device)).body.error).toBe('access_denied');
  });

  it('refuses the device grant to clients not registered for it', async () => {
    const res = await fetch(`${as.issuer}/device/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: 'gatehouse-console', scope: 'openid' }).toString(),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; device_code?: string };
    expect(body.device_code).toBeUndefined();
    expect(['unauthorized_client', 'invalid_request']).toContain(body.error);
  });
});
