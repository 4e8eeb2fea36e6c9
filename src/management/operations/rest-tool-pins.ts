import { z } from 'zod';
import type { RestTool, VirtualMcpInput } from '../../core/index.js';
import { definitionScan } from '../../gateway/federation/index.js';
import { getToolDefinitions, putToolDefinitions } from '../../store/repositories/mcp-tool-definitions.js';
import type { OperationContext } from '../operation.js';
import { resolveStoredRestTools } from './rest-tool-definitions.js';

/**
 * Contract pinning of REST tools, as curated upstream tools are pinned (virtual-mcp-pins.ts): a REST
 * tool is approved against its operation's contract when it is added; a re-import or an endpoint
 * edit that changes the contract (schemas, summary, description, method, path) leaves the pin
 * behind, and the tool is withheld until an admin approves the new contract. The company's own
 * API changes through the audited management plane, but by whoever may import into a collection,
 * not necessarily whoever curates what a model is shown: the model must not get a new description
 * or schema nobody approved for it.
 */

/**
 * The REST tools with the pins they keep: a tool kept from the current version (the same
 * operation) keeps its pin, whatever its name or overrides now; re-saving never approves a
 * changed contract silently.
 */
function keptPins(next: readonly RestTool[], current: readonly RestTool[] | undefined): RestTool[] {
  return next.map((t) => {
    const pin = t.pin ?? current?.find((c) => c.operation === t.operation)?.pin;
    return pin === undefined ? t : { ...t, pin };
  });
}

/**
 * Pins each new REST tool to its operation's contract as stored now (inside the write's
 * transaction: the endpoints a declarative apply creates before it are seen). One whose operation
 * is not published, or whose contract reads as injected instructions (definitionFindings), stays
 * unpinned: withheld until approved.
 */
export async function pinRestTools(
  ctx: OperationContext,
  next: VirtualMcpInput,
  current: { restTools: readonly RestTool[] } | undefined,
): Promise<VirtualMcpInput> {
  const tools = keptPins(next.restTools, current?.restTools);
  const unpinned = tools.filter((t) => t.pin === undefined);
  if (unpinned.length === 0) return { ...next, restTools: tools };
  const resolved = await resolveStoredRestTools(ctx.db, unpinned);
  const approved: Array<{ pin: string; definition: unknown }> = [];
  const pinned = await Promise.all(
    tools.map(async (t) => {
      const found = t.pin === undefined ? resolved.get(t.name) : undefined;
      if (!found || (await definitionScan.definitionFindings(found.contract.definition))) return t;
      approved.push({ pin: found.contract.pin, definition: found.contract.definition });
      return { ...t, pin: found.contract.pin };
    }),
  );
  // What each pin stands for, so a later change can be shown beside it.
  await putToolDefinitions(ctx.db, approved, ctx.now);
  return { ...next, restTools: pinned };
}

export const RestToolStatus = z.object({
  name: z.string(),
  operation: z.string(),
  /** `approved`: served. `changed`: the contract no longer matches the approved one (withheld). `unapproved`: never pinned (withheld). `missing`: the operation is not published or not exposed to MCP. */
  state: z.enum(['approved', 'changed', 'unapproved', 'missing']),
  pin: z.string().nullable(),
  currentPin: z.string().nullable(),
  /** The contract's definition now, for a tool waiting for approval: what approving would serve. */
  current: z.record(z.string(), z.unknown()).nullable(),
  /** The definition its pin approved, where recorded: what `current` is compared with. */
  approved: z.record(z.string(), z.unknown()).nullable(),
  findings: z.object({ score: z.number(), rules: z.array(z.object({ rule: z.string(), count: z.number().int() })) }).nullable(),
});
export type RestToolStatus = z.infer<typeof RestToolStatus>;

/** Each REST tool's contract now against its pin. */
export async function restToolStates(ctx: Pick<OperationContext, 'db'>, restTools: readonly RestTool[]): Promise<RestToolStatus[]> {
  const resolved = await resolveStoredRestTools(ctx.db, restTools);
  const recorded = await getToolDefinitions(
    ctx.db,
    restTools.flatMap((t) => (t.pin ? [t.pin] : [])),
  );
  return Promise.all(
    restTools.map(async (t) => {
      const found = resolved.get(t.name);
      const currentPin = found?.contract.pin ?? null;
      const state = currentPin === null ? 'missing' : t.pin === undefined ? 'unapproved' : t.pin === currentPin ? 'approved' : 'changed';
      const waiting = state === 'changed' || state === 'unapproved';
      return {
        name: t.name,
        operation: t.operation,
        state,
        pin: t.pin ?? null,
        currentPin,
        current: waiting && found ? (found.contract.definition as Record<string, unknown>) : null,
        approved: (t.pin && recorded.get(t.pin)) || null,
        findings: found ? await definitionScan.definitionFindings(found.contract.definition) : null,
      };
    }),
  );
}
