import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ApiProxy, AuditChainVerdict, Collection, IssuedCredential, MetricsOverview } from '../core/index.js';
import type { Executor } from './executor.js';
import { createRegistry, type OperationInput, type OperationName, type OperationOutput } from './registry.js';

describe('the typed registry', () => {
  it('gives every operation its input and output types, so callers need no casts', () => {
    expectTypeOf<OperationOutput<'collections.create'>>().toEqualTypeOf<Collection>();
    expectTypeOf<OperationOutput<'proxies.get'>>().toEqualTypeOf<ApiProxy>();
    expectTypeOf<OperationOutput<'credentials.issue'>>().toEqualTypeOf<IssuedCredential>();
    expectTypeOf<OperationOutput<'metrics.overview'>>().toEqualTypeOf<MetricsOverview>();
    expectTypeOf<OperationOutput<'audit-logs.verify'>>().toEqualTypeOf<AuditChainVerdict>();
    expectTypeOf<OperationInput<'endpoints.list'>>().toHaveProperty('proxyId');
    expectTypeOf<OperationInput<'collections.create'>>().toHaveProperty('slug');
    expectTypeOf<Executor['execute']>().parameter(0).toEqualTypeOf<OperationName>();
    // @ts-expect-error an operation that does not exist has no name
    const unknown: OperationName = 'collections.frobnicate';
    expect(unknown).toBe('collections.frobnicate');
  });

  it('registers each typed name exactly once', () => {
    const registry = createRegistry();
    const names = registry.all().map((op) => op.name);
    expect(new Set(names).size).toBe(names.length);
    const typed: OperationName[] = ['collections.create', 'proxies.import-openapi', 'metrics.timeseries', 'audit-logs.verify', 'users.delete'];
    for (const name of typed) expect(registry.get(name)?.name).toBe(name);
  });
});
