import { McpAnalytics, McpAnalyticsQuery } from '../../core/index.js';
import { mcpAnalytics } from '../../telemetry/queries/mcp-analytics.js';
import { defineOperation } from '../operation.js';

export const mcpAnalyticsOperations = [
  defineOperation({
    name: 'mcp-analytics.query',
    resource: 'mcp-analytics',
    action: 'query',
    summary:
      'Federated tool calls per virtual MCP server, tool and user: calls, success rate, p50/p95/p99 latency, failures by origin (gateway, auth, upstream)',
    permission: 'read',
    input: McpAnalyticsQuery,
    output: McpAnalytics,
    http: { method: 'GET', path: '/mcp-analytics' },
    handler: (ctx, q) => mcpAnalytics(ctx.db, q),
  }),
] as const;
