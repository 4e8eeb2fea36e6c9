import type { z } from 'zod';
import { GatehouseError, type ToolPolicyNode } from '../../../core/index.js';
import { boundCallOf, exactBodyOf } from '../../guardrails/approval-bound.js';
import { approverText } from '../../guardrails/approval-call.js';
import { approvalDigest } from '../../guardrails/approval-digest.js';
import { compilePolicyRule, type PolicyVariables } from '../../guardrails/policy-cel.js';
import { budgetOf } from '../budget.js';
import { isBudgetSpent } from '../cel.js';
import type { Exchange } from '../exchange.js';
import type { NodeCompiler } from '../step.js';

/** The store could not open or spend an approval: the call is held (503), never let through. */
function deskFailed(node: string, err: unknown): GatehouseError {
  if (err instanceof GatehouseError) return err;
  return new GatehouseError(
    'GATEHOUSE_STORE_UNAVAILABLE',
    `Workflow node ${node} cannot open or spend an approval while the store is unreachable; try again shortly.`,
    { node },
  );
}

/** What a rule reads; `destructive` (asked of a virtual server's tool only when a rule reads it: it may list the upstream's tools) comes in. */
function policyVariables(x: Exchange, destructive: boolean): PolicyVariables {
  const ctx = x.ctx;
  const vars = x.vars();
  const claims = ctx.claims ?? {};
  const groups = Array.isArray(claims.groups) ? claims.groups.filter((g): g is string => typeof g === 'string') : [];
  const base = ctx.proxy?.proxy.basePath ?? '';
  const endpoint = ctx.endpoint;
  const mcp = ctx.mcp;
  return {
    // On a virtual server the tool is the MCP tool as the server shows it, and the server its slug.
    tool: mcp
      ? { name: mcp.tool, endpoint: '', method: mcp.method, path: ctx.path, server: mcp.server, destructive }
      : {
          name: endpoint ? `${endpoint.method} ${base}${endpoint.path}` : `${ctx.method} ${ctx.path}`,
          endpoint: endpoint?.id ?? '',
          method: ctx.method,
          path: endpoint ? `${base}${endpoint.path}` : ctx.path,
          server: base,
          destructive,
        },
    arguments: x.requestJson() ?? {},
    caller: { client: vars.caller.client, profile: vars.caller.profile, subject: callerOf(x), groups, claims },
    claims,
  };
}

/**
 * Why rules cannot judge a body's arguments as the upstream reads them, or null: JSON with a
 * duplicate key (JSON.parse keeps the last, many parsers the first) or a number JavaScript reads
 * rounded (`10000000000000001`, `1e400`). Such a call is held for a person, never allowed on a guess.
 */
function ambiguityOf(x: Exchange): string | null {
  const json = exactBodyOf(x);
  if (json === undefined) return null;
  if (json.duplicateKey !== null) return `the body repeats the key ${JSON.stringify(json.duplicateKey.slice(0, 100))}, which upstreams read differently`;
  if (json.inexactNumber !== null) return `the body holds the number ${json.inexactNumber.slice(0, 100)}, which the policy cannot read exactly`;
  return null;
}

/** Who the approval is bound to: the signed-in person, else a JWT subject, else the client and profile. */
function callerOf(x: Exchange): string {
  const ctx = x.ctx;
  if (ctx.preauth?.subject) return ctx.preauth.subject;
  const sub = ctx.claims?.sub;
  if (typeof sub === 'string' && sub.length > 0) return `jwt:${sub}`;
  return ctx.caller ? `client:${ctx.caller.client.id}/profile:${ctx.caller.profile.id}` : `anonymous:${ctx.ip ?? ''}`;
}

/**
 * Allows, refuses (403 GATEHOUSE_POLICY_DENIED) or holds a call for approval by the first rule
 * that matches. A held call gets 403 GATEHOUSE_APPROVAL_REQUIRED with the approval's id and link;
 * once approved, the same caller's retry of the exact call (method, concrete path, query, body or
 * MCP arguments as sent) passes once. Decisions come from
 * the snapshot; only opening an approval and spending one write to the store.
 */
export const compileToolPolicy: NodeCompiler<z.output<typeof ToolPolicyNode>> = (node, env) => {
  const rules = node.rules.map((rule, i) => {
    const compiled = compilePolicyRule(rule.when);
    if ('problem' in compiled) env.problem(`rules[${i}].when`, compiled.problem);
    return { ...rule, program: 'program' in compiled ? compiled.program : null };
  });
  const desk = env.services.guardrails?.approvals ?? null;
  const report = (outcome: string) => env.services.guardrails?.report('tool_policy', outcome, 'none', 1);
  const label = `${env.workflow.id}@${env.workflow.version}`;

  /**
   * Settles a hold once the request phase is done (runRequestPhase): the approval binds the call
   * exactly as it now goes upstream. An approved one passes once; a denied one is refused; else
   * one is opened (or the one this node already opened for the same call is named again).
   */
  const settle = async (x: Exchange, target: string, reasons: readonly string[]): Promise<void> => {
    const caller = callerOf(x);
    const json = exactBodyOf(x);
    const bound = boundCallOf(x, caller, json);
    const digest = approvalDigest(bound);
    const reason = reasons.length === 0 ? null : reasons.join('; ').slice(0, 1000);
    if (desk === null) throw new GatehouseError('GATEHOUSE_APPROVAL_REQUIRED', `Workflow node ${node.id} holds this call for approval.`, { node: node.id });
    const decided = desk.decision(digest);
    if (decided?.status === 'approved') {
      if (await desk.consume(decided.id).catch((err: unknown) => Promise.reject(deskFailed(node.id, err)))) {
        x.guard(`${node.id}:approved ${decided.id}`);
        report('approved');
        return;
      }
    } else if (decided?.status === 'denied') {
      x.guard(`${node.id}:denied ${decided.id}`);
      report('approval_denied');
      throw new GatehouseError('GATEHOUSE_APPROVAL_DENIED', `An approver denied this call${decided.reason ? `: ${decided.reason}` : '.'}`, {
        node: node.id,
        approvalId: decided.id,
        reason: decided.reason,
      });
    }
    const shown = approverText(x.requestBody, json, node.id);
    const { caller: _caller, ...rest } = bound;
    const call = {
      digest,
      caller,
      clientId: x.ctx.caller?.client.id ?? null,
      target,
      bound: rest,
      bodyBytes: x.requestBody?.length ?? 0,
      text: shown.text,
      textBytes: shown.bytes,
      reason,
      workflow: label,
      node: node.id,
      ttlSeconds: node.approvalTtlSeconds,
    };
    const opened = await desk.request(call).catch((err: unknown) => Promise.reject(deskFailed(node.id, err)));
    x.guard(`${node.id}:held ${opened.id}`);
    report('held');
    throw new GatehouseError(
      'GATEHOUSE_APPROVAL_REQUIRED',
      `This call needs approval (${opened.id}${reason ? `: ${reason}` : ''}). An approver can approve it at ${opened.url}; then retry it with the same arguments before ${opened.expiresAt}.`,
      { node: node.id, approvalId: opened.id, url: opened.url, expiresAt: opened.expiresAt },
    );
  };

  /** Holds the call: settled after the request phase (see settle); in a dry run (no desk) refused here. */
  const hold = (x: Exchange, vars: PolicyVariables, reason: string | null): void => {
    if (desk === null) {
      x.guard(`${node.id}:approval-required`);
      throw new GatehouseError('GATEHOUSE_APPROVAL_REQUIRED', `Workflow node ${node.id} holds this call for approval (no approval is opened in a dry run).`, {
        node: node.id,
      });
    }
    // An approval names the virtual server too: the same tool on another server is another call.
    const mcp = x.ctx.mcp;
    const target = vars.tool.endpoint ? `${vars.tool.name} (${vars.tool.endpoint})` : mcp ? `${mcp.server}/${mcp.tool}` : vars.tool.name;
    // The first tool policy that holds the call settles it; a later one adds its reason.
    x.hold ??= { settle: (reasons) => settle(x, target, reasons), reasons: [] };
    if (reason !== null) x.hold.reasons.push(reason);
  };

  // Only a rule that reads it makes a virtual server's call ask whether its tool is destructive.
  const readsDestructive = node.rules.some((r) => /\bdestructive\b/.test(r.when));
  // Rules that read the arguments judge JSON.parse's reading of the body; where an upstream may read it otherwise, a person judges.
  const readsArguments = node.rules.some((r) => /\barguments\b/.test(r.when));
  const decide = (x: Exchange, destructive: boolean): void | Promise<void> => {
    const vars = policyVariables(x, destructive);
    const { decision, reason } = ruleDecision(x, vars);
    const ambiguous = decision === 'deny' || !readsArguments ? null : ambiguityOf(x);
    if (ambiguous === null) return apply(x, vars, decision, reason);
    return apply(x, vars, 'approval', reason === null ? ambiguous : `${reason}; ${ambiguous}`);
  };

  function ruleDecision(x: Exchange, vars: PolicyVariables): { decision: 'allow' | 'deny' | 'approval' | 'flag'; reason: string | null } {
    for (const rule of rules) {
      if (rule.program === null) continue;
      let matched: unknown;
      try {
        matched = rule.program(vars, budgetOf(x.vars()));
      } catch (err) {
        if (isBudgetSpent(err)) throw err;
        throw new GatehouseError('GATEHOUSE_WORKFLOW_CONDITION_FAILED', `Workflow node ${node.id}: ${(err as Error).message.split('\n')[0]}`, {
          node: node.id,
        });
      }
      if (matched !== true) continue;
      return { decision: rule.decision, reason: rule.reason ?? null };
    }
    return { decision: node.default, reason: null };
  }

  return (x) => {
    const mcp = x.ctx.mcp;
    if (mcp && readsDestructive) return mcp.destructive().then((d) => decide(x, d));
    return decide(x, !mcp && x.ctx.method === 'DELETE');
  };

  function apply(x: Exchange, vars: PolicyVariables, decision: 'allow' | 'deny' | 'approval' | 'flag', reason: string | null): void | Promise<void> {
    if (decision === 'allow') return;
    if (decision === 'flag') {
      x.guard(`${node.id}:flagged`);
      report('flagged');
      return;
    }
    if (decision === 'deny') {
      x.guard(`${node.id}:denied`);
      report('denied');
      throw new GatehouseError('GATEHOUSE_POLICY_DENIED', `A tool policy refuses this call${reason ? `: ${reason}` : '.'}`, {
        node: node.id,
        ...(reason ? { reason } : {}),
      });
    }
    return hold(x, vars, reason);
  }
};
