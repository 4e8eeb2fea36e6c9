import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCli } from '../support/cli.js';
import { dialects } from '../support/databases.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

/** A CI environment for the CLI: an admin service account of this gateway. */
async function ciEnv(t: TestGatehouse): Promise<Record<string, string>> {
  const sa = await t.serviceAccount('admin');
  return {
    XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'gatehouse-decl-')),
    GATEHOUSE_SERVER: t.gh.urls.admin,
    GATEHOUSE_CLIENT_ID: sa.clientId,
    GATEHOUSE_CLIENT_SECRET: sa.clientSecret,
  };
}

const SOURCE_SECRET = 'source-upstream-key-0f3a9c';
const SECRET_VARIABLE = 'GATEHOUSE_BACKEND_CREDENTIALS_PAYMENTS_KEY_VALUE';

async function seed(t: TestGatehouse): Promise<void> {
  const post = async (path: string, body: unknown) => {
    const res = await call(t.api, t.adminToken, 'POST', path, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const payments = await post('/collections', { slug: 'payments', name: 'Payments', published: true, description: 'Money' });
  const internal = await post('/collections', { slug: 'internal', name: 'Internal' });
  const key = await post('/backend-credentials', { name: 'payments-key', type: 'api_key', in: 'header', param: 'X-Upstream-Key', value: SOURCE_SECRET });
  const proxy = await post('/proxies', {
    collectionId: payments.id,
    name: 'Payments v1',
    basePath: '/payments/v1',
    upstreams: ['http://127.0.0.1:9/'],
    retries: 1,
    backendCredentialId: key.id,
  });
  await post(`/proxies/${proxy.id}/endpoints`, { proxyId: proxy.id, method: 'GET', path: '/orders', summary: 'List orders', tags: ['orders'] });
  await post(`/proxies/${proxy.id}/endpoints`, { proxyId: proxy.id, method: 'POST', path: '/orders', requestBody: { type: 'object' } });
  const side = await post('/proxies', { collectionId: internal.id, name: 'Side', basePath: '/internal', upstreams: ['http://127.0.0.1:9/'] });
  await post(`/proxies/${side.id}/endpoints`, { proxyId: side.id, method: 'GET', path: '/health' });
  const policy = await post('/policies', { name: 'standard', rateLimits: [{ window: 'minute', limit: 600 }], quotas: [{ period: 'day', limit: 10000 }] });
  const client = await post('/clients', { name: 'Acme', collectionIds: [payments.id], policyId: policy.id });
  await post('/profiles', { clientId: client.id, name: 'default', authType: 'token', collectionIds: [payments.id], ipAllowlist: ['10.0.0.0/8'] });
}

const auditCount = async (t: TestGatehouse) =>
  (
    await t.db.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
  ).n;

for (const dialect of await dialects()) {
  // Each test runs the real CLI several times (a process start each): generous on a loaded machine.
  describe(`declarative config through the CLI on ${dialect}`, { timeout: 120_000 }, () => {
    let source: TestGatehouse;
    let target: TestGatehouse;
    let sourceEnv: Record<string, string>;
    let targetEnv: Record<string, string>;
    let dir: string;
    let exported: string;

    beforeAll(async () => {
      source = await startTestGatehouse(dialect);
      target = await startTestGatehouse(dialect);
      await seed(source);
      [sourceEnv, targetEnv] = await Promise.all([ciEnv(source), ciEnv(target)]);
      targetEnv[SECRET_VARIABLE] = 'target-upstream-key-77b1';
      dir = mkdtempSync(join(tmpdir(), 'gatehouse-files-'));
    });
    afterAll(async () => {
      await source?.close();
      await target?.close();
    });

    it('exports a stable file by name, applies it to a fresh gateway, and exports the same file there', async () => {
      const out = await runCli(['export', '-o', join(dir, 'gatehouse.yaml')], sourceEnv);
      expect(out.code, out.stderr).toBe(0);
      exported = readFileSync(join(dir, 'gatehouse.yaml'), 'utf8');
      expect(exported).not.toMatch(/\b(col|prx|ep|pol|cli|prf)_[A-Za-z0-9_-]{8,}/);
      const doc = parse(exported);
      expect(doc.version).toBe(1);
      expect(doc.collections.map((c: { slug: string }) => c.slug)).toEqual(['internal', 'payments']);
      expect(doc.clients[0]).toMatchObject({ name: 'Acme', collections: ['payments'], policy: 'standard', profiles: [{ name: 'default', authType: 'token' }] });
      expect(doc.collections[1].proxies[0].endpoints.map((e: { method: string }) => e.method)).toEqual(['GET', 'POST']);
      // A backend credential is exported by name with its secret as a variable, and the proxy names it.
      expect(doc['backend-credentials']).toEqual([
        { name: 'payments-key', type: 'api_key', in: 'header', param: 'X-Upstream-Key', value: `\${${SECRET_VARIABLE}}` },
      ]);
      expect(doc.collections[1].proxies[0].backendCredential).toBe('payments-key');
      expect(exported).not.toContain(SOURCE_SECRET);
      expect((await runCli(['export'], sourceEnv)).stdout).toBe(exported);

      const applied = await runCli(['apply', '-f', join(dir, 'gatehouse.yaml')], targetEnv);
      expect(applied.code, applied.stderr).toBe(0);
      expect(applied.stdout).toContain('+ create collections payments');
      expect(applied.stdout).toContain('Plan: 11 to create, 0 to change, 0 to delete.');
      expect((await runCli(['export'], targetEnv)).stdout).toBe(exported);

      // One audit entry per change, by the service account, and no entry for the apply itself.
      const entries = (await call(target.api, target.adminToken, 'GET', `/audit-logs?limit=50&actor=${targetEnv.GATEHOUSE_CLIENT_ID}`)).body.items;
      expect(entries.map((e: { action: string }) => e.action).sort()).toEqual(
        [
          'backend-credentials',
          'clients',
          'collections',
          'collections',
          'endpoints',
          'endpoints',
          'endpoints',
          'policies',
          'profiles',
          'proxies',
          'proxies',
        ].map((r) => `${r}.create`),
      );
      // The target's credential holds the secret from the target's environment, not the source's.
      const [sourceKey, targetKey] = await Promise.all(
        [source, target].map(async (t) => (await call(t.api, t.adminToken, 'GET', '/backend-credentials')).body.items[0]),
      );
      expect(targetKey.fingerprint).not.toBe(sourceKey.fingerprint);

      const again = await runCli(['apply', '-f', join(dir, 'gatehouse.yaml')], targetEnv);
      expect(again.stdout).toContain('No changes');
    });

    it('plan prints nothing and exits 0 when nothing would change; 2 with the change listed field by field', async () => {
      const same = await runCli(['plan', '-f', join(dir, 'gatehouse.yaml')], targetEnv);
      expect(same.code).toBe(0);
      expect(same.stdout).toBe('');
      const doc = parse(exported);
      doc.collections[1].proxies[0].timeouts = { connectMs: 1500 };
      doc.policies.push({ name: 'burst', rateLimits: [{ window: 'second', limit: 5 }] });
      writeFileSync(join(dir, 'changed.yaml'), stringify(doc));
      const changed = await runCli(['plan', '-f', join(dir, 'changed.yaml')], targetEnv);
      expect(changed.code).toBe(2);
      expect(changed.stdout).toContain('~ update proxies payments › /payments/v1\n    timeouts.connectMs: 5000 → 1500');
      expect(changed.stdout).toContain('+ create policies burst');
      const json = await runCli(['plan', '-f', join(dir, 'changed.yaml'), '--json'], targetEnv);
      expect(json.code).toBe(2);
      expect(JSON.parse(json.stdout).summary).toEqual({ create: 1, update: 1, delete: 0 });

      const keyChanged = parse(exported);
      keyChanged['backend-credentials'][0].param = 'X-Key';
      writeFileSync(join(dir, 'key.yaml'), stringify(keyChanged));
      const keyPlan = await runCli(['plan', '-f', join(dir, 'key.yaml')], targetEnv);
      expect(keyPlan.code, keyPlan.stderr).toBe(2);
      expect(keyPlan.stdout).toContain('~ update backend-credentials payments-key\n    param: "X-Upstream-Key" → "X-Key"');
    });

    it('an apply whose step fails changes nothing and writes no entries for its steps', async () => {
      const doc = parse(exported);
      doc.collections.push({ slug: 'broken', name: 'Broken', proxies: [{ name: 'Reserved', basePath: '/admin/x', upstreams: ['http://127.0.0.1:9/'] }] });
      doc.policies.push({ name: 'never' });
      writeFileSync(join(dir, 'failing.yaml'), stringify(doc));
      const before = await auditCount(target);
      const out = await runCli(['apply', '-f', join(dir, 'failing.yaml')], targetEnv);
      expect(out.code).toBe(1);
      expect(out.stderr).toContain('reserved');
      expect(out.stderr).toMatch(/failing\.yaml:\d+:\d+ collections\.2\.proxies\.0/);
      expect((await runCli(['export'], targetEnv)).stdout).toBe(exported);
      const added = (await call(target.api, target.adminToken, 'GET', `/audit-logs?limit=${Number(await auditCount(target)) - Number(before)}`)).body.items;
      expect(added.map((e: { action: string; outcome: string }) => `${e.action}:${e.outcome}`)).toEqual(['config.apply:failure']);
    });

    it('--prune deletes what the file leaves out, only within the selector', async () => {
      const doc = parse(exported);
      doc.collections = doc.collections.filter((c: { slug: string }) => c.slug !== 'internal');
      doc.policies = [];
      writeFileSync(join(dir, 'pruned.yaml'), stringify(doc));
      const plan = await runCli(['plan', '-f', join(dir, 'pruned.yaml'), '--prune', '--selector', 'collections=intern*'], targetEnv);
      expect(plan.code).toBe(2);
      expect(plan.stdout.split('\n').filter((l) => /^[+~-] /.test(l))).toEqual([
        '- delete endpoints internal › /internal › GET /health',
        '- delete proxies internal › /internal',
        '- delete collections internal',
      ]);
      const out = await runCli(['apply', '-f', join(dir, 'pruned.yaml'), '--prune', '--selector', 'collections=intern*'], targetEnv);
      expect(out.code, out.stderr).toBe(0);
      const after = parse((await runCli(['export'], targetEnv)).stdout);
      expect(after.collections.map((c: { slug: string }) => c.slug)).toEqual(['payments']);
      expect(after.policies.map((p: { name: string }) => p.name)).toEqual(['standard']);
      expect(after.clients).toHaveLength(1);
    });

    it('bad files get errors naming the line and field, and write nothing', async () => {
      const before = (await runCli(['export'], targetEnv)).stdout;
      const cases: Array<[string, string, RegExp]> = [
        ['invalid.yaml', 'collections:\n  - slug: a\n    name: [unclosed\n', /invalid\.yaml:\d+:\d+/],
        [
          'unknown.yaml',
          'version: 1\ncollections:\n  - slug: a\n    name: A\n    colour: red\n',
          /unknown\.yaml:5:13 collections\.0\.colour: unknown field\(s\): colour/,
        ],
        [
          'dangling.yaml',
          'clients:\n  - name: B\n    collections:\n      - payments\n      - nowhere\n',
          /dangling\.yaml:5:9 clients\.0\.collections\.1: collections has nothing named nowhere/,
        ],
        ['ids.yaml', 'clients:\n  - name: B\n    collectionIds: [col_123]\n', /ids\.yaml:3:\d+ clients\.0\.collectionIds: unknown field/],
        ['env.yaml', `policies:\n  - name: \${NOT_SET_ANYWHERE}\n`, /env\.yaml:2:11 policies\.0\.name: the environment variable NOT_SET_ANYWHERE is not set/],
        ['twice.yaml', 'policies:\n  - name: x\n  - name: x\n', /twice\.yaml:3:\d+ policies\.1: policies x is listed twice/],
        ['section.yaml', 'widgets: []\n', /section\.yaml:1:\d+ widgets: unknown section/],
      ];
      for (const [name, text] of cases) writeFileSync(join(dir, name), text);
      const plans = await Promise.all(cases.map(([name]) => runCli(['plan', '-f', join(dir, name)], targetEnv)));
      plans.forEach((plan, i) => {
        const [name, , expected] = cases[i]!;
        expect(plan.code, name).toBe(1);
        expect(plan.stderr, name).toMatch(expected);
      });
      const apply = await runCli(['apply', '-f', join(dir, 'dangling.yaml')], targetEnv);
      expect(apply.code).toBe(1);
      expect(apply.stderr).toMatch(/dangling\.yaml:5:9 clients\.0\.collections\.1/);
      const json = await runCli(['plan', '-f', join(dir, 'unknown.yaml'), '--json'], targetEnv);
      expect(JSON.parse(json.stderr).error.problems[0]).toMatchObject({ path: 'collections.0.colour', line: 5 });
      expect((await runCli(['export'], targetEnv)).stdout).toBe(before);
    });

    it('prints the file’s JSON Schema, with references by name', async () => {
      const out = await runCli(['config', 'schema'], {});
      const schema = JSON.parse(out.stdout);
      const client = schema.properties.clients.items;
      expect(client.properties.collections).toMatchObject({ type: 'array', items: { type: 'string' } });
      expect(client.properties.collectionIds).toBeUndefined();
      expect(client.properties.profiles.items.properties.clientId).toBeUndefined();
      expect(client.additionalProperties).toBe(false);
    });
  });
}
