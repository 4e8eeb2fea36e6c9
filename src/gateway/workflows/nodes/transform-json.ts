import type { z } from 'zod';
import { GatehouseError, type TransformJsonNode } from '../../../core/index.js';
import { BudgetSpent, budgetExceeded, budgetOf } from '../budget.js';
import { type BoundedJsonata, compileJsonata } from '../jsonata.js';
import type { NodeCompiler } from '../step.js';

function failed(nodeId: string, message: string): GatehouseError {
  return new GatehouseError('GATEHOUSE_WORKFLOW_TRANSFORM_FAILED', `Workflow node ${nodeId}: ${message}`, { node: nodeId });
}

/** Rewrites the JSON body with a JSONata expression (parsed once), stopped past its time budget or output size. */
export const compileTransformJson: NodeCompiler<z.output<typeof TransformJsonNode>> = (node, env) => {
  const compiled = compileJsonata(node.expression, { timeoutMs: node.timeoutMs, maxOutputBytes: node.maxOutputBytes });
  if ('problem' in compiled) env.problem('expression', compiled.problem);
  const expression: BoundedJsonata | null = 'problem' in compiled ? null : compiled;
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
      output = await expression.evaluate(input, bindings, budgetOf(vars));
    } catch (err) {
      if (err instanceof BudgetSpent) throw budgetExceeded(node.id, err.message);
      const e = err as { code?: string; message?: string };
      // JSONata's own guardrails (the deepest stack, the longest sequence) are part of the budget.
      if (e.code === 'D1011' || e.code === 'D2015') throw budgetExceeded(node.id, e.message ?? 'the transform went past its limits');
      throw failed(node.id, e.message ?? 'the expression failed');
    }
    const text = output === undefined ? '' : JSON.stringify(output);
    if (Buffer.byteLength(text) > node.maxOutputBytes) throw budgetExceeded(node.id, `the result is larger than ${node.maxOutputBytes} bytes`);
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
