import type { z } from 'zod';
import { GatehouseError, type RewritePathNode } from '../../../core/index.js';
import type { NodeCompiler } from '../step.js';
import { compileTemplate, templateProblem } from '../template.js';
import type { CallVariables } from '../variables.js';

/** Placeholder values are path data: each is percent-encoded so a caller's value cannot add segments. */
function encodedVariables(vars: CallVariables): CallVariables {
  const encode = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, encodeURIComponent(v)]));
  return {
    ...vars,
    request: { ...vars.request, params: encode(vars.request.params), query: encode(vars.request.query), headers: encode(vars.request.headers) },
  };
}

/** Replaces the path the upstream receives (below the upstream URL's own path). */
export const compileRewritePath: NodeCompiler<z.output<typeof RewritePathNode>> = (node, env) => {
  const problem = templateProblem(node.path);
  if (problem) env.problem('path', problem);
  const template = compileTemplate(node.path);
  return (x) => {
    const path = template(encodedVariables(x.vars()));
    for (const segment of path.split('/')) {
      if (segment === '.' || segment === '..')
        throw new GatehouseError('GATEHOUSE_BAD_REQUEST', `Workflow node ${node.id}: the rewritten path would leave the upstream's base path.`, {
          node: node.id,
        });
    }
    x.rest = path;
  };
};
