import { describe, expect, it } from 'vitest';
import { GatehouseError } from '../../core/index.js';
import { compileSnapshot } from './compile.js';
import { SnapshotCompiler } from './compiler.js';
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

const ROWS = [
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
  row('virtual-mcps', 'vm_wrong', { slug: 'wrong', upstreamIds: 'not a list' }),
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
];
const SEALED = [{ owner_type: 'mcp-servers', owner_id: 'ms_static', ciphertext: seal(JSON.stringify({ 'x-key': 'k1' })) }];

describe('the MCP part of the snapshot', () => {
  it('compiles virtual servers with their upstreams’ secrets opened, sign-ins and role holders; a bad row is left out and reported', () => {
    const invalid: string[] = [];
    const { mcp } = compileSnapshot({ resources: ROWS, credentials: [], mcpSecrets: SEALED }, (type, id) => invalid.push(`${type}/${id}`), open);
    const docs = mcp.virtualServers.get('docs')!;
    expect(docs.virtual.version).toBe(3);
    // An upstream that no longer exists is left out, as the store read did.
    expect(docs.upstreams.map((u) => [u.server.id, u.headers])).toEqual([['ms_static', { 'x-key': 'k1' }]]);
    const stdio = mcp.virtualServers.get('tools')!.upstreams[0]!.stdio;
    expect(stdio).toBeInstanceOf(GatehouseError);
    expect((stdio as GatehouseError).code).toBe('GATEHOUSE_BACKEND_CREDENTIAL_UNAVAILABLE');
    expect(mcp.signIns.get('g1')).toEqual({ profileId: 'pr_1', subject: 'u_1', username: 'carol' });
    expect([...mcp.roleHolders.subjects, ...mcp.roleHolders.groups]).toEqual(['u_admin', 'oncall']);
    // Rows are checked against their schema, as every other kind is: a wrong shape is reported, not cast.
    expect(invalid).toEqual(['virtual-mcps/vm_bad', 'virtual-mcps/vm_wrong']);
    expect(mcp.virtualServers.has('wrong')).toBe(false);
  });

  it('recompiles only what a change reaches: one virtual server, or the virtual servers of one upstream', () => {
    const compiler = new SnapshotCompiler(() => {}, open);
    for (const s of SEALED) compiler.stageMcpSecret(s.owner_type, s.owner_id, s.ciphertext);
    compiler.stage(ROWS.map((r) => ({ type: r.type, id: r.id, row: r })));
    const first = compiler.commit().config.mcp;

    // A change elsewhere (a policy) shares the whole MCP part.
    compiler.stage([{ type: 'policies', id: 'pol_1', row: row('policies', 'pol_1', { name: 'P', rateLimits: [], quotas: [] }) }]);
    expect(compiler.commit().config.mcp).toBe(first);

    // One virtual server renamed: it moves to its new slug; the other is the same object, and so are the sign-ins.
    const renamed = row('virtual-mcps', 'vm_2', { slug: 'tools-2', name: 'Tools', description: '', upstreamIds: ['ms_stdio'], tools: [], published: true });
    compiler.stage([{ type: 'virtual-mcps', id: 'vm_2', row: { ...renamed, version: 4 } }]);
    const second = compiler.commit().config.mcp;
    expect([...second.virtualServers.keys()].sort()).toEqual(['docs', 'tools-2']);
    expect(second.virtualServers.get('docs')).toBe(first.virtualServers.get('docs'));
    expect(second.virtualServers.get('tools-2')!.upstreams[0]).toBe(first.virtualServers.get('tools')!.upstreams[0]);
    expect(second.signIns).toBe(first.signIns);
    expect(second.roleHolders).toBe(first.roleHolders);

    // An upstream's sealed headers change: it is reopened, and only the virtual server using it is rebuilt.
    compiler.stageMcpSecret('mcp-servers', 'ms_static', seal(JSON.stringify({ 'x-key': 'k2' })));
    const third = compiler.commit().config.mcp;
    expect(third.virtualServers.get('docs')!.upstreams[0]!.headers).toEqual({ 'x-key': 'k2' });
    expect(third.virtualServers.get('tools-2')).toBe(second.virtualServers.get('tools-2'));

    // A virtual server deleted is gone; a grant deleted signs nobody in.
    compiler.stage([
      { type: 'virtual-mcps', id: 'vm_1', row: null },
      { type: 'mcp-grants', id: 'mgr_1', row: null },
    ]);
    const fourth = compiler.commit().config.mcp;
    expect([...fourth.virtualServers.keys()]).toEqual(['tools-2']);
    expect(fourth.signIns.size).toBe(0);
  });
});
