import jsonata from 'jsonata';
import type { z } from 'zod';
import { GatehouseError, type TransformJsonNode } from '../../../core/index.js';
import type { NodeCompiler } from '../step.js';

// JSONata's own guardrails: a deepest evaluation stack and a longest sequence, with the node's time budget.
const MAX_STACK = 500;
const MAX_SEQUENCE = 100_000;

function failed(nodeId: string, message: string): GatehouseError {
  return new GatehouseError('GATEHOUSE_WORKFLOW_TRANSFORM_FAILED', `Workflow node ${nodeId}: ${message}`, { node: nodeId });
}

/** Rewrites the JSON body with a JSONata expression (parsed once), stopped past its time budget or output size. */
export const compileTransformJson: NodeCompiler<z.output<typeof TransformJsonNode>> = (node, env) => {
  let parsed: ReturnType<typeof jsonata> | null = null;
  try {
    parsed = jsonata(node.expression, { timeout: node.timeoutMs, stack: MAX_STACK, sequence: MAX_SEQUENCE });
  } catch (err) {
    const e = err as { message?: string; position?: number };
    env.problem('expression', `${e.message ?? 'invalid JSONata'}${e.position !== undefined ? ` (at ${e.position})` : ''}`);
  }
  const expression = parsed;
  const phase = env.phase;
  return async (x) => {
    if (expression === null) return;
    const input = phase === 'request' ? x.requestJson() : x.responseJson();
    const raw = phase === 'request' ? x.requestBody : (x.response?.body ?? null);
    if (raw === null || raw.length === 0) return;
    if (input === undefined) throw failed(node.id, 'the body is not JSON');
    const vars = x.vars();
    const bindings: Record<string, unknown> = {
      request: { method: vars.request.method, path: vars.request.path, params: vars.request.params, query: vars.request.query, headers: vars.request.headers },
      caller: vars.caller,
      response: vars.response ? { status: vars.response.status, headers: vars.response.headers } : undefined,
    };
    let output: unknown;
    try {
      output = await expression.evaluate(input, bindings);
    } catch (err) {
      const e = err as { code?: string; message?: string };
      throw failed(node.id, e.code === 'D1012' ? `took longer than ${node.timeoutMs} ms` : (e.message ?? 'the expression failed'));
    }
    const text = output === undefined ? '' : JSON.stringify(output);
    if (Buffer.byteLength(text) > node.maxOutputBytes) throw failed(node.id, `the result is larger than ${node.maxOutputBytes} bytes`);
    const body = Buffer.from(text);
    x.note(`${node.id}:transformed`);
    if (phase === 'request') {
      x.setRequestBody(body);
      x.setRequestHeader('content-type', 'application/json');
    } else {
      x.setResponseBody(body);
      x.response!.headers['content-type'] = 'application/json; charset=utf-8';
    }
  };
};
