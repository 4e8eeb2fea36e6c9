import type { z } from 'zod';
import type { SetQueryNode } from '../../../core/index.js';
import type { NodeCompiler } from '../step.js';
import { compileTemplate, templateProblem } from '../template.js';

/** Sets or removes query parameters of the upstream request. */
export const compileSetQuery: NodeCompiler<z.output<typeof SetQueryNode>> = (node, env) => {
  const set = Object.entries(node.set).map(([name, text]) => {
    const problem = templateProblem(text);
    if (problem) env.problem(`set.${name}`, problem);
    return { name, value: compileTemplate(text) };
  });
  return (x) => {
    const params = new URLSearchParams(x.query.length > 1 ? x.query.slice(1) : '');
    for (const name of node.remove) params.delete(name);
    const vars = x.vars();
    for (const p of set) params.set(p.name, p.value(vars));
    const q = params.toString();
    x.setQuery(q ? `?${q}` : '');
  };
};
