import type { LimitDecision } from '../limits/limiter.js';
import type { HeaderMap } from '../net/header-map.js';
import type { EndpointRef } from '../routing/router.js';

/** Who is calling, as far as a workflow needs to know (a compiled profile has all of it). */
export interface CallerView {
  readonly client: { readonly id: string; readonly name: string };
  readonly profile: { readonly id: string; readonly name: string; readonly authType: string };
}

/** A federated MCP call, as a virtual server's workflow reads it. */
export interface McpView {
  /** `tools/call`, `prompts/get` or `resources/read`. */
  readonly method: string;
  /** The virtual server's slug. */
  readonly server: string;
  /** The tool or prompt as the virtual server shows it, or the resource URI. */
  readonly tool: string;
  /** The upstream server's name. */
  readonly upstream: string;
  /** The tool or prompt as the upstream names it, or the URI (an approval binds the real tool, not the name shown). */
  readonly upstreamTool: string;
  /** Who calls: the token's subject (`user:<id>`, `service:<id>`) and the agent acting for them, or null. */
  readonly caller: { readonly subject: string; readonly actor: string | null };
  /** Whether the tool is read-only (`readOnlyHint`, as curated or as the upstream defines it): a cache node may serve it again. Asked only when needed. */
  readOnly(): Promise<boolean>;
  /** Whether the call may destroy something (a tool not marked read-only or `destructiveHint: false`; see PolicyVariables). Asked only when a rule reads it. */
  destructive(): Promise<boolean>;
}

/** What a workflow reads of the call (the pipeline's call context has all of it). */
export interface CallView {
  readonly requestId: string;
  readonly startedAt: number;
  readonly method: string;
  /** The path the caller called, with the proxy's base path. */
  readonly path: string;
  /** The path below the proxy's base path. */
  readonly rest: string;
  readonly query: string;
  readonly headers: HeaderMap;
  readonly credentialHeader: 'authorization' | 'x-api-key' | null;
  readonly endpoint: EndpointRef | null;
  readonly caller: CallerView | null;
  readonly claims: Record<string, unknown> | null;
  readonly ip: string | null;
  /** The proxy called (its base path names the target of a tool policy); absent in dry runs. */
  readonly proxy?: { readonly proxy: { readonly id: string; readonly basePath: string } } | null;
  /** The adapter's pre-authenticated caller (a Gateway MCP sign-in names the person); absent where there is none. */
  readonly preauth?: { readonly subject?: string | undefined } | null;
  /** The MCP call a virtual server's workflow runs on; absent for REST and Gateway MCP calls. */
  readonly mcp?: McpView | null;
  /** A workflow rate limit's refusal replaces the caller's decision, so the 429 reports that window. */
  limit: LimitDecision | null;
}
