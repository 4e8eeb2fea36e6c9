import { GatehouseError } from '../../core/index.js';
import type { CompiledWorkflow } from './compile.js';
import { Exchange } from './exchange.js';
import { runNodes } from './run.js';

/** The guardrails that read any JSON: what a call's exchanges carry beside its own body is judged by them; the other nodes are about the call's own request or response. */
const JSON_GUARDS: ReadonlySet<string> = new Set(['detect_pii', 'prompt_guard']);

/** A judge of JSON beside a call's own body (see jsonJudge). */
export type JsonJudge = <P extends Record<string, unknown>>(label: string, value: P) => Promise<P>;

/**
 * One side's guardrails over a JSON value beside a call's own body (a message an MCP upstream
 * relays, a response header the model reads): run as over a body of that JSON, their outcomes
 * recorded on the call's exchange with the label of what they judged. Gives the value as they
 * left it (redacted where `detect_pii` redacts), or throws their refusal; null when that side has
 * none of these guardrails.
 */
export function jsonJudge(wf: CompiledWorkflow, x: Exchange, phase: 'request' | 'response'): JsonJudge | null {
  const guards = wf[phase].filter((n) => JSON_GUARDS.has(n.type));
  if (guards.length === 0) return null;
  return async <P extends Record<string, unknown>>(label: string, value: P): Promise<P> => {
    const y = new Exchange(x.ctx);
    y.phase = phase;
    const body = Buffer.from(JSON.stringify(value));
    if (body.length > wf.bodyLimitBytes)
      throw new GatehouseError(phase === 'response' ? 'GATEHOUSE_WORKFLOW_RESPONSE_TOO_LARGE' : 'GATEHOUSE_WORKFLOW_BODY_TOO_LARGE');
    if (phase === 'response') y.setResponse({ status: 200, headers: { 'content-type': 'application/json' }, body });
    else y.setRequestBody(body);
    try {
      await runNodes(guards, y);
    } finally {
      for (const outcome of y.guardrails) x.guard(`${outcome} (${label})`);
    }
    const out = phase === 'response' ? y.response?.body : y.requestBody;
    if (out === body || out === undefined || out === null) return value;
    const judged = phase === 'response' ? y.responseJson() : y.requestJson();
    // A guardrail that wrote something other than an object left nothing to pass on: refused, never passed unjudged.
    if (judged === null || typeof judged !== 'object' || Array.isArray(judged))
      throw new GatehouseError('GATEHOUSE_GUARDRAIL_BLOCKED', `The guardrails left no ${label} to pass on.`);
    return judged as P;
  };
}
