// Module resolve hook: only imports of `fs` made from inside the conformance package are redirected,
// so nothing else in the process sees the shim.
const SHIM = new URL('./fs.mjs', import.meta.url).href;
const PACKAGE = '/@modelcontextprotocol/conformance/';

export async function resolve(specifier, context, nextResolve) {
  const fromSuite = typeof context.parentURL === 'string' && context.parentURL.includes(PACKAGE);
  if (fromSuite && (specifier === 'fs' || specifier === 'node:fs')) {
    return { url: SHIM, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}
