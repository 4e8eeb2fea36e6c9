import { McpAnalytics, McpAnalyticsQuery } from '../../core/index.js';
import { mcpAnalytics } from '../../telemetry/queries/mcp-analytics.js';
import { defineOperation } from '../operation.js';
import { subjectNames } from './subject-names.js';

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
    handler: async (ctx, q) => {
      const answer = await mcpAnalytics(ctx.db, q);
      // People and agents by name where the groups name them (the rollups keep only their subjects).
      const nameOf = await subjectNames(
        ctx.db,
        answer.groups.flatMap((g) => [g.user, g.agent]),
      );
      const groups = answer.groups.map((g) => ({
        ...g,
        ...(g.user !== undefined ? { userName: nameOf(g.user) } : {}),
        ...(g.agent !== undefined ? { agentName: nameOf(g.agent) } : {}),
      }));
      return { ...answer, groups };
    },
  }),
] as const;
