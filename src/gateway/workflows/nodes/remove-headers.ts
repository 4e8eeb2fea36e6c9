import type { z } from 'zod';
import type { RemoveHeadersNode } from '../../../core/index.js';
import type { NodeCompiler } from '../step.js';

/** Removes request headers before the upstream sees them, or response headers before the caller does. */
export const compileRemoveHeaders: NodeCompiler<z.output<typeof RemoveHeadersNode>> = (node, env) => {
  const names = node.headers.map((h) => h.toLowerCase());
  if (env.phase === 'request') {
    return (x) => {
      for (const name of names) x.removeRequestHeader(name);
    };
  }
  return (x) => {
    const out = x.response!.headers;
    for (const name of names) delete out[name];
  };
};
