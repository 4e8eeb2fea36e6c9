import type { Tool } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { definitionPin } from './pin.js';

const tool = {
  name: 'get-weather',
  title: 'Weather',
  description: 'The weather at a place.',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } } },
  annotations: { readOnlyHint: true },
  execution: { taskSupport: 'optional' },
  _meta: { ui: { resourceUri: 'ui://weather/view.html' } },
} as Tool;

describe('definitionPin', () => {
  it('covers every field a client acts on: execution, _meta (an MCP App’s view), icons, title', () => {
    const pin = definitionPin(tool);
    expect(pin).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(definitionPin({ ...tool, execution: { taskSupport: 'required' } } as Tool)).not.toBe(pin);
    expect(definitionPin({ ...tool, _meta: { ui: { resourceUri: 'ui://weather/other.html' } } })).not.toBe(pin);
    expect(definitionPin({ ...tool, _meta: { 'ui/resourceUri': 'ui://weather/view.html' } })).not.toBe(pin);
    expect(definitionPin({ ...tool, icons: [{ src: 'https://weather.example/icon.png' }] })).not.toBe(pin);
    expect(definitionPin({ ...tool, title: 'Weather!' })).not.toBe(pin);
  });

  it('is the same for the same definition, whatever the key order, with absent and undefined fields alike', () => {
    const reordered = Object.fromEntries(Object.entries(tool).reverse()) as Tool;
    expect(definitionPin(reordered)).toBe(definitionPin(tool));
    expect(definitionPin({ ...tool, outputSchema: undefined })).toBe(definitionPin(tool));
  });
});
