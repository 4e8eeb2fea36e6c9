// `node:fs` plus a minimal `globSync` (Node 22): enough for the conformance suite, which globs
// relative patterns such as `**/checks.json` under a `cwd`.
import * as fs from 'node:fs';
import path from 'node:path';

export * from 'node:fs';
export default fs.default ?? fs;

/** Matches relative paths under `cwd` against one or more glob patterns (`**`, `*`, `?`). */
export function globSync(patterns, options = {}) {
  if (typeof fs.globSync === 'function') return fs.globSync(patterns, options);
  const cwd = options.cwd ? String(options.cwd) : process.cwd();
  const list = (Array.isArray(patterns) ? patterns : [patterns]).map(toRegExp);
  let entries;
  try {
    entries = fs.readdirSync(cwd, { recursive: true });
  } catch {
    return [];
  }
  return entries
    .map((entry) => String(entry))
    .filter((entry) => list.some((re) => re.test(entry.split(path.sep).join('/'))));
}

function toRegExp(pattern) {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      // `**/` matches zero or more whole directories; a trailing `**` matches anything.
      if (pattern[i + 2] === '/') {
        out += '(?:.*/)?';
        i += 2;
      } else {
        out += '.*';
        i += 1;
      }
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}
