import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../registry.js';
import { configJsonSchema } from './json-schema.js';
import { configKinds } from './kinds.js';

describe('the config file JSON Schema', () => {
  it('is committed as generated, so editors can point at schema/gatehouse-config.schema.json', () => {
    const committed = JSON.parse(readFileSync(new URL('../../../schema/gatehouse-config.schema.json', import.meta.url), 'utf8'));
    // After changing a resource schema: node dist/cli/main.js config schema > schema/gatehouse-config.schema.json
    expect(committed).toEqual(configJsonSchema(configKinds(createRegistry().all())));
  });
});
