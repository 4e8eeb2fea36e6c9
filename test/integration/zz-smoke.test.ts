import { it, expect } from 'vitest';
import { openLocalPlane } from '../../src/cli/local-plane.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

it('smoke', async () => {
  const plane = await openLocalPlane({ dataDir: mkdtempSync(join(tmpdir(), 'gh-')) });
  const run = (op: string, input: unknown, dry = false) => plane.executor.execute(op, input, { ...plane.call, dryRun: dry });
  const doc = {
    version: 1,
    collections: [{ slug: 'payments', name: 'Payments', published: true, proxies: [{ name: 'Pay', basePath: '/payments/v1', upstreams: ['http://127.0.0.1:9'], endpoints: [{ method: 'GET', path: '/orders' }] }] }],
    policies: [{ name: 'std', rateLimits: [{ window: 'minute', limit: 100 }] }],
    clients: [{ name: 'acme', collections: ['payments'], policy: 'std', profiles: [{ name: 'default', authType: 'token', collections: ['payments'] }] }],
  };
  console.log(JSON.stringify(await run('config.plan', { document: doc }), null, 1).slice(0, 1500));
  console.log(JSON.stringify(await run('config.apply', { document: doc })).slice(0, 300));
  const exported = await run('config.export', {});
  console.log(JSON.stringify(exported, null, 1));
  console.log(JSON.stringify(await run('config.plan', { document: exported })));
  const changed = structuredClone(exported) as any;
  changed.collections[0].proxies[0].timeouts = { connectMs: 10 };
  changed.policies.push({ name: 'p2' });
  console.log(JSON.stringify(await run('config.plan', { document: changed })));
  delete changed.clients;
  console.log(JSON.stringify(await run('config.plan', { document: changed, prune: true, selector: 'clients' })));
  try { await run('config.plan', { document: { collections: [{ slug: 'x', name: 'X', colour: 1 }], clients: [{ name: 'c', collections: ['nope'] }] } }); } catch (e: any) { console.log(e.message, JSON.stringify(e.details)); }
  console.log(JSON.stringify(await run('config.schema', {})).slice(0, 2000));
  await plane.close();
});
