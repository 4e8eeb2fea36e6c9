import type { z } from 'zod';
import type { SetHeadersNode } from '../../../core/index.js';
import type { NodeCompiler } from '../step.js';
import { compileTemplate, templateProblem } from '../template.js';

/** Sets request headers (on top of the gateway's forwarding rules) or response headers, from templates. */
export const compileSetHeaders: NodeCompiler<z.output<typeof SetHeadersNode>> = (node, env) => {
  const headers = Object.entries(node.headers).map(([name, text]) => {
    const problem = templateProblem(text);
    if (problem) env.problem(`headers.${name}`, problem);
    return { name: name.toLowerCase(), value: compileTemplate(text) };
  });
  if (env.phase === 'request') {
    return (x) => {
      const vars = x.vars();
      for (const h of headers) x.setRequestHeader(h.name, h.value(vars));
    };
  }
  return (x) => {
    const vars = x.vars();
    const out = x.response!.headers;
    for (const h of headers) out[h.name] = h.value(vars);
  };
};
