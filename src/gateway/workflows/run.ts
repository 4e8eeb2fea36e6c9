import { GatehouseError, jsonNestsDeeperThan } from '../../core/index.js';
import { BudgetSpent, budgetExceeded } from './budget.js';
import type { Exchange, TraceEntry } from './exchange.js';
import type { CompiledNode } from './step.js';

/** A node's failure as the caller sees it: its own code where it has one, else a workflow failure naming the node. */
function nodeFailure(node: CompiledNode, err: unknown, x: Exchange): GatehouseError {
  x.failedNode ??= node.id;
  if (err instanceof GatehouseError) return err;
  if (err instanceof BudgetSpent) return budgetExceeded(node.id, err.message);
  const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return new GatehouseError('GATEHOUSE_WORKFLOW_NODE_FAILED', `Workflow node ${node.id} (${node.type}) failed: ${message}`, { node: node.id });
}

function snapshot(x: Exchange): Record<string, string> {
  const s: Record<string, string> = { 'request.path': x.rest, 'request.query': x.query };
  for (const [k, v] of x.headerEdits ?? []) s[`request.header ${k}`] = v ?? '(removed)';
  // A preview: decoding only its first bytes keeps a trace of a large body cheap.
  if (x.requestBody) s['request.body'] = x.requestBody.subarray(0, 800).toString('utf8').slice(0, 200);
  if (x.response) {
    s['response.status'] = String(x.response.status);
    for (const [k, v] of Object.entries(x.response.headers)) s[`response.header ${k}`] = Array.isArray(v) ? v.join(', ') : v;
    if (x.response.body) s['response.body'] = x.response.body.subarray(0, 800).toString('utf8').slice(0, 200);
  }
  for (const [k, v] of Object.entries(x.extraResponseHeaders ?? {})) s[`response.header ${k}`] = v;
  return s;
}

function diff(before: Record<string, string>, after: Record<string, string>): string[] {
  const changes: string[] = [];
  for (const [k, v] of Object.entries(after)) if (before[k] !== v) changes.push(`${k} = ${v}`);
  for (const k of Object.keys(before)) if (!(k in after)) changes.push(`${k} removed`);
  return changes;
}

/** Runs one node recording what it decided and changed (dry runs and tests only: it costs a copy of the call each time). */
function traced(node: CompiledNode, x: Exchange, trace: TraceEntry[]): void | Promise<void> {
  const before = snapshot(x);
  const decided = x.decisions.length;
  const started = performance.now();
  const entry: TraceEntry = { node: node.id, type: node.type, phase: x.phase, decision: null, changes: [], durationMs: 0 };
  trace.push(entry);
  const finish = (err?: unknown) => {
    entry.durationMs = Math.round((performance.now() - started) * 1000) / 1000;
    entry.decision = x.decisions.slice(decided).join(' ') || null;
    entry.changes = diff(before, snapshot(x));
    if (err !== undefined) {
      const e = nodeFailure(node, err, x);
      entry.error = { code: e.code, message: e.message };
      throw e;
    }
  };
  let pending: void | Promise<void>;
  try {
    pending = node.run(x);
  } catch (err) {
    finish(err);
    return;
  }
  if (pending === undefined) return finish();
  return pending.then(() => finish(), finish);
}

/** Whether a body is JSON text (its first non-blank byte opens an object or array). */
function looksJson(body: Buffer): boolean {
  for (let i = 0; i < body.length && i < 64; i++) {
    const c = body[i]!;
    if (c === 0x7b || c === 0x5b) return true;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
  }
  return false;
}

/**
 * Refuses a buffered JSON body nested deeper than the gateway reads before any node of the phase
 * runs, whatever the nodes would do with it: 400 for the caller's request, 502 for an upstream's
 * answer. Walking such a value (validators, digests, clones) would otherwise fail mid-workflow.
 */
function refuseDeepJson(x: Exchange): void {
  const body = x.phase === 'request' ? x.requestBody : (x.response?.body ?? null);
  if (body === null || !looksJson(body) || !jsonNestsDeeperThan(body)) return;
  throw new GatehouseError(x.phase === 'request' ? 'GATEHOUSE_JSON_TOO_DEEP' : 'GATEHOUSE_UPSTREAM_JSON_TOO_DEEP');
}

/**
 * Runs nodes in order from `start`; returns a promise only when a node has to wait. A request
 * phase stops as soon as a node answers the call itself (mock, cache hit).
 */
export function runNodes(nodes: readonly CompiledNode[], x: Exchange, start = 0): void | Promise<void> {
  if (start === 0) refuseDeepJson(x);
  // A hold nobody settled (a request phase run without runRequestPhase) never lets the call on.
  if (x.hold !== null && x.phase === 'response') throw new GatehouseError('GATEHOUSE_APPROVAL_REQUIRED', 'This call is held for approval.');
  for (let i = start; i < nodes.length; i++) {
    if (x.answered !== null && x.phase === 'request') return;
    const node = nodes[i]!;
    let pending: void | Promise<void>;
    if (x.trace !== null) pending = traced(node, x, x.trace);
    else {
      try {
        pending = node.run(x);
      } catch (err) {
        throw nodeFailure(node, err, x);
      }
    }
    if (pending !== undefined) {
      const next = i + 1;
      return x.trace !== null
        ? pending.then(() => runNodes(nodes, x, next))
        : pending.then(
            () => runNodes(nodes, x, next),
            (err: unknown) => {
              throw nodeFailure(node, err, x);
            },
          );
    }
  }
}

/**
 * The request phase: its nodes, then a tool policy's hold, judged on the call exactly as it now
 * goes upstream (path, query, headers, body and target after every node), or answered (a mock, a
 * cache hit: a held call is held whatever would answer it).
 */
export function runRequestPhase(nodes: readonly CompiledNode[], x: Exchange): void | Promise<void> {
  const pending = runNodes(nodes, x);
  if (pending !== undefined) return pending.then(() => settleHold(x));
  return settleHold(x);
}

function settleHold(x: Exchange): void | Promise<void> {
  const hold = x.hold;
  if (hold === null) return;
  x.hold = null;
  return hold.settle(hold.reasons);
}
