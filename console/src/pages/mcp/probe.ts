import { useMutation } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { paths } from '../../api/schema';

/** What an upstream MCP server offers, as `mcp-servers.probe` reads it. */
export type Probe = paths['/mcp-servers/probe']['post']['responses']['200']['content']['application/json'];
export type ProbeInput = paths['/mcp-servers/probe']['post']['requestBody']['content']['application/json'];
export type ProbedTool = Probe['tools'][number];

/** Asks the gateway to connect to a server (saved or not) and list what it offers; nothing is saved. */
export function useProbe() {
  return useMutation({ mutationFn: (input: ProbeInput) => unwrap(api.POST('/mcp-servers/probe', { body: input })) });
}
