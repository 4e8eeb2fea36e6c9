import { describe, expect, it } from 'vitest';
import { GatehouseError } from '../../core/index.js';
import { compileMcp } from './compile-mcp.js';
import type { ResourceRow } from './load.js';

const row = (type: string, id: string, data: unknown): ResourceRow => ({
  type,
  id,
  data: typeof data === 'string' ? data : JSON.stringify(data),
  version: 3,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
});
// The test's "secret box": sealed text is the plaintext reversed.
const open = (sealed: string) => [...sealed].reverse().join('');
const seal = open;
const server = (id: string, extra: Record<string, unknown>) => ({
  name: id,
  description: '',
  transport: 'http',
  url: `http://127.0.0.1:1/${id}`,
  auth: 'none',
  timeoutMs: 1_000,
  maxResultChars: 10_000,
  definitionsTtlMs: 60_000,
  headerNames: [],
  ...extra,
});

describe('compileMcp', () => {
  it('compiles virtual servers with their upstreams’ secrets opened, sign-ins and role holders; a bad row is left out and reported', () => {
    const invalid: string[] = [];
    const mcp = compileMcp(
      [
        row('mcp-servers', 'ms_static', server('static', { auth: 'static', headerNames: ['x-key'] })),
        row(
          'mcp-servers',
          'ms_stdio',
          server('tool', { transport: 'stdio', url: undefined, stdio: { command: 'x', args: [], env: {}, secretEnv: { TOKEN: { credentialId: 'bc_gone' } } } }),
        ),
        row('virtual-mcps', 'vm_1', {
          slug: 'docs',
          name: 'Docs',
          description: '',
          upstreamIds: ['ms_static', 'ms_missing'],
          tools: [{ upstreamId: 'ms_static', name: 'search' }],
          published: true,
        }),
        row('virtual-mcps', 'vm_2', { slug: 'tools', name: 'Tools', description: '', upstreamIds: ['ms_stdio'], tools: [], published: false }),
        row('virtual-mcps', 'vm_bad', '{not json'),
        row('mcp-grants', 'mgr_1', {
          oidcGrantId: 'g1',
          profileId: 'pr_1',
          clientId: 'cl_1',
          subject: 'u_1',
          username: 'carol',
          appClientId: 'a',
          appName: 'App',
        }),
        row('role-bindings', 'rb_1', { subject: 'u_admin', role: 'admin', scope: {}, description: '' }),
        row('role-bindings', 'rb_2', { group: 'oncall', role: 'viewer', scope: {}, description: '' }),
        row('proxies', 'px_1', { ignored: true }),
      ],
      [{ owner_type: 'mcp-servers', owner_id: 'ms_static', ciphertext: seal(JSON.stringify({ 'x-key': 'k1' })) }],
      open,
      (type, id) => invalid.push(`${type}/${id}`),
    );
    const docs = mcp.virtualServers.get('docs')!;
    expect(docs.virtual.version).toBe(3);
    // An upstream that no longer exists is left out, as the store read did.
    expect(docs.upstreams.map((u) => [u.server.id, u.headers])).toEqual([['ms_static', { 'x-key': 'k1' }]]);
    const stdio = mcp.virtualServers.get('tools')!.upstreams[0]!.stdio;
    expect(stdio).toBeInstanceOf(GatehouseError);
    expect((stdio as GatehouseError).code).toBe('GATEHOUSE_BACKEND_CREDENTIAL_UNAVAILABLE');
    expect(mcp.signIns.get('g1')).toEqual({ profileId: 'pr_1', subject: 'u_1', username: 'carol' });
    expect([...mcp.roleHolders.subjects, ...mcp.roleHolders.groups]).toEqual(['u_admin', 'oncall']);
    expect(invalid).toEqual(['virtual-mcps/vm_bad']);
  });
});
