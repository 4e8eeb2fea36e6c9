import { describe, expect, it } from 'vitest';
import { builtInConsoleSignIn, externalConsoleSignIn } from './console-sign-in.js';

const claims = { subjectClaim: 'sub', groupsClaim: 'realm_access.roles', nameClaim: undefined };

describe('how the console signs in', () => {
  it('built in: the first-party client, a resource indicator for the admin API', () => {
    expect(builtInConsoleSignIn('http://gw/admin/api/v1')).toMatchObject({ clientId: 'gatehouse-console', resource: 'http://gw/admin/api/v1' });
  });

  it('external IdP: the configured client, and a resource indicator only when the audience is a URL', () => {
    const url = externalConsoleSignIn({ clientId: 'console', scope: undefined, adminApiAudience: 'https://gw/admin/api/v1', ...claims });
    expect(url).toMatchObject({
      clientId: 'console',
      scope: 'openid profile offline_access',
      resource: 'https://gw/admin/api/v1',
      groupsClaim: 'realm_access.roles',
    });
    const name = externalConsoleSignIn({ clientId: 'console', scope: 'openid api://gatehouse/admin', adminApiAudience: 'gatehouse-admin', ...claims });
    expect(name).toMatchObject({ scope: 'openid api://gatehouse/admin', resource: undefined });
    expect(externalConsoleSignIn({ clientId: undefined, scope: undefined, adminApiAudience: 'urn:gatehouse', ...claims })).toMatchObject({
      clientId: undefined,
      resource: undefined,
    });
  });
});
