import { describe, expect, it } from 'vitest';
import { supportedNode } from './node-version.js';

describe('supportedNode', () => {
  it('accepts the LTS lines Gatehouse runs on and refuses the rest', () => {
    for (const v of ['v22.19.0', '22.23.3', 'v24.0.0', 'v24.21.0', 'v26.0.0', 'v28.1.0']) expect(supportedNode(v), v).toBe(true);
    for (const v of ['v18.20.8', 'v20.20.2', 'v21.7.3', 'v22.18.0', 'v23.11.1', 'v25.2.0']) expect(supportedNode(v), v).toBe(false);
  });
});
