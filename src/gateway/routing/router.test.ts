import { describe, expect, it } from 'vitest';
import type { Endpoint } from '../../core/index.js';
import { compileEndpointTable, lookupEndpoint } from './router.js';

function ep(method: Endpoint['method'], path: string): Endpoint {
  return { id: `${method} ${path}`, method, path } as Endpoint;
}

const table = compileEndpointTable([
  ep('GET', '/orders'),
  ep('POST', '/orders'),
  ep('GET', '/orders/{id}'),
  ep('GET', '/orders/summary'),
  ep('DELETE', '/orders/{id}'),
  ep('GET', '/orders/{id}/items/{item}'),
  ep('HEAD', '/ping'),
  ep('GET', '/'),
]);

describe('endpoint router', () => {
  it('matches templates, static segments first', () => {
    expect(lookupEndpoint(table, '/orders/summary', 'GET')?.endpoint?.path).toBe('/orders/summary');
    expect(lookupEndpoint(table, '/orders/42', 'GET')?.endpoint?.path).toBe('/orders/{id}');
    expect(lookupEndpoint(table, '/orders/42/items/7', 'GET')?.endpoint?.path).toBe('/orders/{id}/items/{item}');
    expect(lookupEndpoint(table, '/orders/', 'GET')?.endpoint?.path).toBe('/orders');
    expect(lookupEndpoint(table, '', 'GET')?.endpoint?.path).toBe('/');
  });

  it('falls back to a parameter when the static branch dead-ends', () => {
    const t = compileEndpointTable([ep('GET', '/a/static'), ep('GET', '/a/{x}/deep')]);
    expect(lookupEndpoint(t, '/a/static/deep', 'GET')?.endpoint?.path).toBe('/a/{x}/deep');
  });

  it('reports the allowed methods of a known path', () => {
    expect(lookupEndpoint(table, '/orders/42', 'PUT')).toEqual({ endpoint: null, allow: 'GET, HEAD, DELETE' });
    expect(lookupEndpoint(table, '/ping', 'GET')).toEqual({ endpoint: null, allow: 'HEAD' });
  });

  it('answers HEAD with the GET endpoint', () => {
    expect(lookupEndpoint(table, '/orders', 'HEAD')?.endpoint?.method).toBe('GET');
  });

  it('does not match unknown paths, empty or dot segments', () => {
    expect(lookupEndpoint(table, '/nope', 'GET')).toBeNull();
    expect(lookupEndpoint(table, '/orders//x', 'GET')).toBeNull();
    expect(lookupEndpoint(table, '/orders/..', 'GET')).toBeNull();
    expect(lookupEndpoint(table, '/orders/.%2E', 'GET')).toBeNull();
  });

  it('refuses path parameters an upstream could resolve outside the base path', () => {
    for (const id of ['..;', '..;jsessionid=1', '%2e%2e;x', '..%2f..%2fadmin', '..%2F..', '..%5cadmin', 'a\\b', '.%00.', 'x%2fy']) {
      expect(lookupEndpoint(table, `/orders/${id}`, 'GET'), id).toBeNull();
    }
    for (const id of ['v1.2', 'a;b', '%20x', 'report.final.pdf', '...']) {
      expect(lookupEndpoint(table, `/orders/${id}`, 'GET')?.endpoint?.path, id).toBe('/orders/{id}');
    }
  });
});

describe('parameters inside a segment', () => {
  const t = compileEndpointTable([
    ep('GET', '/v1/{name}'),
    ep('GET', '/v1/{name}:batchGet'),
    ep('GET', '/files/{id}.json'),
    ep('GET', '/files/{id}.tar.gz'),
    ep('GET', '/files/{id}'),
    ep('GET', '/status/'),
  ]);
  it('matches literal text around a parameter before a whole-segment parameter', () => {
    expect(lookupEndpoint(t, '/v1/projects:batchGet', 'GET')?.endpoint?.path).toBe('/v1/{name}:batchGet');
    expect(lookupEndpoint(t, '/v1/projects', 'GET')?.endpoint?.path).toBe('/v1/{name}');
    expect(lookupEndpoint(t, '/files/42.json', 'GET')?.endpoint?.path).toBe('/files/{id}.json');
    expect(lookupEndpoint(t, '/files/42.tar.gz', 'GET')?.endpoint?.path).toBe('/files/{id}.tar.gz');
    expect(lookupEndpoint(t, '/files/42', 'GET')?.endpoint?.path).toBe('/files/{id}');
    expect(lookupEndpoint(t, '/status', 'GET')?.endpoint?.path).toBe('/status/');
  });
});
