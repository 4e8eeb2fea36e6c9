import { describe, expect, it } from 'vitest';
import type { CallContext } from '../pipeline/context.js';
import { applyBackendAuth, backendAuthOf, withQueryCredential } from './apply.js';
import type { TokenCache } from './token-cache.js';
import type { BackendAuth } from './types.js';

const base = { id: 'bcr_1', name: 'c', version: 1, resource: {} as never };
const query: BackendAuth = { ...base, kind: 'query', param: 'api key', value: 's3cr&t' };
const header: BackendAuth = { ...base, kind: 'header', header: 'x-backend-key', value: 'v' };

describe('withQueryCredential', () => {
  it('appends the credential encoded, drops the caller’s value under its name, keeps other parameters as sent', () => {
    expect(withQueryCredential('', query)).toBe('?api%20key=s3cr%26t');
    expect(withQueryCredential('?a=1%2F2&api+key=forged&api%20key=again&b', query)).toBe('?a=1%2F2&b&api%20key=s3cr%26t');
    expect(withQueryCredential('?a=1', header)).toBe('?a=1');
    expect(withQueryCredential('?a=1', null)).toBe('?a=1');
  });
});

describe('backendAuthOf and applyBackendAuth', () => {
  const ctx = (auth: BackendAuth | 'unavailable' | null, route?: { auth?: BackendAuth | 'unavailable' }) =>
    ({ proxy: { backendAuth: auth }, exchange: route ? { route } : null, backendAuth: null, backendToken: null }) as unknown as CallContext;

  it('prefers a route group’s own credential, and refuses one the snapshot cannot use with 503', () => {
    expect(backendAuthOf(ctx(header))).toBe(header);
    expect(backendAuthOf(ctx(header, { auth: query }))).toBe(query);
    expect(backendAuthOf(ctx(header, {}))).toBe(header);
    expect(() => backendAuthOf(ctx('unavailable'))).toThrow(expect.objectContaining({ code: 'GATEHOUSE_BACKEND_CREDENTIAL_UNAVAILABLE', status: 503 }));
  });

  it('sets a header credential and drops the caller’s Authorization', () => {
    const c = ctx(header);
    c.backendAuth = header;
    const headers: Record<string, string> = { authorization: 'Bearer caller', accept: '*/*' };
    expect(applyBackendAuth(c, headers, {} as TokenCache)).toBeNull();
    expect(headers).toEqual({ 'x-backend-key': 'v', accept: '*/*' });
  });
});
