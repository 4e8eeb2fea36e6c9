/** The scope a token needs at the management MCP resource; admin API tokens carry no scope. */
export const MANAGEMENT_SCOPE = 'gatehouse:management';

/** The scope of a Gateway MCP (`/mcp`) sign-in: a person acting as one consumer profile. */
export const GATEWAY_MCP_SCOPE = 'gatehouse:mcp';
