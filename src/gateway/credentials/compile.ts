import type { BackendCredential } from '../../core/index.js';
import type { BackendAuth } from './types.js';

/** The sealed fields of a backend credential, opened. */
export type BackendMaterial = Partial<Record<'password' | 'value' | 'clientSecret' | 'certificate' | 'privateKey' | 'passphrase', string>>;

/** Compiles a stored credential and its opened material; null when the material does not fit its type. */
export function compileBackendAuth(c: BackendCredential, m: BackendMaterial): BackendAuth | null {
  const base = { id: c.id, name: c.name, version: c.version, resource: c };
  switch (c.type) {
    case 'basic':
      if (c.username === undefined || m.password === undefined) return null;
      return { ...base, kind: 'header', header: 'authorization', value: `Basic ${Buffer.from(`${c.username}:${m.password}`).toString('base64')}` };
    case 'api_key':
      if (c.param === undefined || m.value === undefined) return null;
      return c.in === 'query'
        ? { ...base, kind: 'query', param: c.param, value: m.value }
        : { ...base, kind: 'header', header: c.param.toLowerCase(), value: m.value };
    case 'oauth2_client_credentials': {
      if (c.tokenUrl === undefined || c.clientId === undefined || m.clientSecret === undefined) return null;
      const params: Array<[string, string]> = [['grant_type', 'client_credentials']];
      if (c.scope) params.push(['scope', c.scope]);
      if (c.audience) params.push(['audience', c.audience]);
      if (c.resource) params.push(['resource', c.resource]);
      for (const [k, v] of Object.entries(c.extraParams ?? {})) params.push([k, v]);
      return {
        ...base,
        kind: 'oauth2',
        token: { tokenUrl: c.tokenUrl, clientId: c.clientId, clientSecret: m.clientSecret, clientAuth: c.clientAuth ?? 'client_secret_basic', params },
      };
    }
    case 'mtls':
      if (m.certificate === undefined || m.privateKey === undefined) return null;
      return {
        ...base,
        kind: 'mtls',
        tls: {
          cert: m.certificate,
          key: m.privateKey,
          ...(m.passphrase ? { passphrase: m.passphrase } : {}),
          ...(c.caBundle ? { ca: c.caBundle } : {}),
          ...(c.serverName ? { servername: c.serverName } : {}),
        },
      };
  }
}
