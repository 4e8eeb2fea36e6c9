import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Every page of the documentation is reachable from the README, and no relative link in README.md
// or docs/ points at a file that is not there or outside the repository.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return markdownFiles(path);
    return e.name.endsWith('.md') ? [path] : [];
  });
}

/** The relative link targets of a markdown page (outside code blocks and code spans), without their #fragment. */
function relativeLinks(file: string): string[] {
  const text = readFileSync(file, 'utf8')
    .replace(/```[\s\S]*?```/g, '')
    .replace(/`[^`\n]*`/g, '');
  const targets = [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g), ...text.matchAll(/^\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1] ?? '');
  return targets.filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t) && !t.startsWith('#')).map((t) => decodeURI(t.split('#')[0] ?? ''));
}

const pages = [join(root, 'README.md'), ...markdownFiles(join(root, 'docs'))];

describe('documentation links', () => {
  it.each(pages.map((p) => [relative(root, p), p]))('%s links only to files inside the repository that exist', (_name, page) => {
    const broken = relativeLinks(page).filter((target) => {
      const to = resolve(dirname(page), target);
      return !(to === root || to.startsWith(root + sep)) || !existsSync(to);
    });
    expect(broken).toEqual([]);
  });

  it('reaches every page under docs/ from README.md', () => {
    const seen = new Set<string>();
    const queue = [join(root, 'README.md')];
    while (queue.length > 0) {
      const page = queue.pop() as string;
      if (seen.has(page)) continue;
      seen.add(page);
      for (const target of relativeLinks(page)) {
        const to = resolve(dirname(page), target);
        if (to.endsWith('.md') && existsSync(to)) queue.push(to);
      }
    }
    const unreachable = pages.filter((p) => !seen.has(p)).map((p) => relative(root, p));
    expect(unreachable).toEqual([]);
  });
});
