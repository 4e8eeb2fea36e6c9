import type { McpGrant } from '../../core/index.js';
import { ResourceRepository } from './resources.js';

/** Gateway MCP sign-ins, keyed by the authorization server's grant id, under their profile (parent). */
export const mcpGrants = new ResourceRepository<Omit<McpGrant, 'id' | 'version' | 'createdAt' | 'updatedAt'>>('mcp-grants');
