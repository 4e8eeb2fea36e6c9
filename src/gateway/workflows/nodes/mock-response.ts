import type { z } from 'zod';
import type { MockResponseNode } from '../../../core/index.js';
import type { OutgoingHeaders } from '../../net/header-map.js';
import type { NodeCompiler } from '../step.js';
import { compileTemplate, type Template, templateProblem } from '../template.js';
import type { CallVariables } from '../variables.js';

type BodyBuilder = (vars: CallVariables) => unknown;

/** Compiles every string of a JSON value as a template (reporting bad ones), once. */
function compileBody(value: unknown, report: (problem: string) => void): BodyBuilder {
  if (typeof value === 'string') {
    const problem = templateProblem(value);
    if (problem) report(problem);
    const t: Template = compileTemplate(value);
    return (vars) => t(vars);
  }
  if (Array.isArray(value)) {
    const items = value.map((v) => compileBody(v, report));
    return (vars) => items.map((b) => b(vars));
  }
  if (value !== null && typeof value === 'object') {
    const fields = Object.entries(value).map(([k, v]) => [k, compileBody(v, report)] as const);
    return (vars) => Object.fromEntries(fields.map(([k, b]) => [k, b(vars)]));
  }
  return () => value;
}

/** Answers the call with a templated status, headers and JSON body; the upstream is not called. */
export const compileMockResponse: NodeCompiler<z.output<typeof MockResponseNode>> = (node, env) => {
  const body = node.body === undefined ? null : compileBody(node.body, (p) => env.problem('body', p));
  const headers = Object.entries(node.headers).map(([name, text]) => {
    const problem = templateProblem(text);
    if (problem) env.problem(`headers.${name}`, problem);
    return { name: name.toLowerCase(), value: compileTemplate(text) };
  });
  return (x) => {
    const vars = x.vars();
    const out: OutgoingHeaders = {};
    let bytes: Buffer = Buffer.alloc(0);
    if (body) {
      bytes = Buffer.from(JSON.stringify(body(vars)));
      out['content-type'] = 'application/json; charset=utf-8';
    }
    for (const h of headers) out[h.name] = h.value(vars);
    out['content-length'] = String(bytes.length);
    x.note(`${node.id}:mock`);
    x.answer('mock', { status: node.status, headers: out, body: bytes });
  };
};
