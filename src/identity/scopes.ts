/** The scope a token needs at the management MCP resource; admin API tokens carry no scope. */
export const MANAGEMENT_SCOPE = 'gatehouse:management';
