const SEGMENT_CHARS = /^[A-Za-z0-9._~:@!$&'()*+,;=-]*$/;
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Why the gateway cannot route a path template, or null when it can. Every reason is the true
 * one: what in the path stops it, not a generic refusal.
 */
export function pathProblem(path: string): string | null {
  const hash = path.indexOf('#');
  if (hash !== -1) {
    const fragment = path.slice(hash + 1);
    const aws = /^X-Amz-Target=/i.test(fragment) ? ' (this document names the X-Amz-Target header there, as AWS descriptions do)' : '';
    return `the path has a fragment (#${fragment.slice(0, 80)}), which HTTP never sends to a server, so requests cannot be routed by it${aws}`;
  }
  if (path.includes('?')) return 'the path has a query string (?…) in it; operations told apart by a fixed query value cannot be routed by path';
  for (const seg of path.split('/').slice(1)) {
    if (/\}\{/.test(seg)) return `the segment ${seg} has two parameters next to each other, so where one ends cannot be known`;
    const braces = seg.replace(/\{[^{}]*\}/g, '');
    if (/[{}]/.test(braces)) return `the segment ${seg} has an unbalanced { or }`;
    for (const m of seg.matchAll(/\{([^{}]*)\}/g))
      if (!PARAM_NAME.test(m[1]!)) return `the parameter name {${m[1]}} has characters the gateway does not accept in a parameter name`;
    if (!SEGMENT_CHARS.test(braces)) {
      const bad = [...braces].find((c) => !SEGMENT_CHARS.test(c))!;
      return `the segment ${seg} contains ${JSON.stringify(bad)}, which a URL path cannot carry unencoded`;
    }
  }
  if (path.length > 500) return 'the path is longer than 500 characters';
  return null;
}
