import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// docs/reference/ is generated from the code (scripts/docs-reference.mjs over dist/, which the
// global setup keeps no older than src/). A registry that changes without `npm run docs` fails here.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const generated = JSON.parse(
  execFileSync(process.execPath, [join(root, 'scripts', 'docs-reference.mjs'), '--json'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }),
) as Record<string, string>;

describe('docs/reference matches the code (run `npm run docs` after changing a registry)', () => {
  it.each(Object.keys(generated))('%s', (path) => {
    expect(readFileSync(join(root, path), 'utf8')).toBe(generated[path]);
  });

  it('describes every GATEHOUSE_* variable the code reads (add it to the settings table in docs/getting-started.md)', () => {
    const undescribed = [...(generated['docs/reference/configuration.md'] ?? '').matchAll(/^\| `(GATEHOUSE_[A-Z0-9_]+)` \| {2}\|/gm)].map((m) => m[1]);
    expect(undescribed).toEqual([]);
  });
});
