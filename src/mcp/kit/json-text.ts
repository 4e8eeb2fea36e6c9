import type { CallToolResult } from '@modelcontextprotocol/server';

/**
 * A tool result's text block holding the JSON of a value (a structured result's text twin), built
 * only when read. The fast path writes it from the value without building it (see
 * ResultWriter.large); anything else that reads `text` (the SDK's path, a test) gets the string.
 */
export class JsonText {
  readonly type = 'text';
  declare readonly text: string;
  constructor(readonly value: unknown) {
    // Own and enumerable, so JSON.stringify and the SDK's result schema see it as a plain property.
    Object.defineProperty(this, 'text', { get: () => JSON.stringify(value), enumerable: true });
    // The value is carried for the writer, not part of the block on the wire.
    Object.defineProperty(this, 'value', { enumerable: false });
  }
}

/** A result whose only content block is the JSON text of its structured content, as a JsonText. */
export type TwinResult = CallToolResult & { content: [JsonText]; structuredContent: Record<string, unknown> };

export function isTwinResult(result: CallToolResult): result is TwinResult {
  const block = Array.isArray(result.content) && result.content.length === 1 ? result.content[0] : undefined;
  return block instanceof JsonText && block.value === result.structuredContent && result.structuredContent !== undefined;
}
