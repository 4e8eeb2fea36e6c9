import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../src/http/openapi.js';
import { createRegistry } from '../../src/management/registry.js';

describe('the admin OpenAPI document the console is typed from', () => {
  it('every schema reference in the document resolves inside it (recursive schemas live in components)', () => {
    const doc = buildOpenApi(createRegistry(), 'http://127.0.0.1:8080/admin/api/v1', 'http://127.0.0.1:8080/oauth') as Record<string, any>;
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of new Set(refs)) {
      const target = ref
        .slice(2)
        .split('/')
        .reduce<any>((node, part) => node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
      expect(target, ref).toBeDefined();
    }
  });
});
