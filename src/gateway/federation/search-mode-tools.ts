import type { Tool } from '@modelcontextprotocol/server';

/**
 * The three tools a virtual server over its context budget lists (search mode; the federation runs
 * them in mcp/federation/search-mode.ts). Defined here, beside the token counting, so the admin
 * plane counts the very listing clients get.
 */

export const SEARCH_TOOLS = 'search_tools';
export const DESCRIBE_TOOL = 'describe_tool';
export const CALL_TOOL = 'call_tool';
export const SEARCH_MODE_NAMES: ReadonlySet<string> = new Set([SEARCH_TOOLS, DESCRIBE_TOOL, CALL_TOOL]);

export const MAX_HITS = 20;
export const DEFAULT_HITS = 8;

/** The search-mode listing, in name order like every listing. */
export const SEARCH_MODE_TOOLS: readonly Tool[] = [
  {
    name: CALL_TOOL,
    title: 'Call a tool',
    description:
      'Call one of this server’s tools by name (as search_tools or describe_tool gave it) with arguments matching its input schema. Answers exactly as the tool does.',
    inputSchema: {
      type: 'object',
      properties: {
        name: { type: 'string', description: 'The tool’s name.' },
        arguments: { type: 'object', description: 'The tool’s arguments, as its inputSchema (see describe_tool) asks.', additionalProperties: true },
      },
      required: ['name'],
    },
  },
  {
    name: DESCRIBE_TOOL,
    title: 'Describe a tool',
    description: 'The full definition of one of this server’s tools: description, inputSchema, outputSchema and annotations. Read it before call_tool.',
    inputSchema: { type: 'object', properties: { name: { type: 'string', description: 'The tool’s name, from search_tools.' } }, required: ['name'] },
    annotations: { readOnlyHint: true },
  },
  {
    name: SEARCH_TOOLS,
    title: 'Search tools',
    description:
      'This server has more tools than fit the context, so they are not listed. Search them by what you want to do (e.g. "create an issue", "send a message"); the best matches come first, with their names for describe_tool and call_tool.',
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string', description: 'What you want to do, in a few words.' },
        limit: { type: 'integer', minimum: 1, maximum: MAX_HITS, description: `How many tools to return (default ${DEFAULT_HITS}).` },
      },
      required: ['query'],
    },
    annotations: { readOnlyHint: true },
  },
];
