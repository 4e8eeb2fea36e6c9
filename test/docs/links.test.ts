import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Every page of the documentation is reachable from the README, and no relative link in README.md
// or docs/ points at a file that is not there or outside the repository, nor at a #fragment that is
// not a heading or an explicit anchor of the markdown page it names.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return markdownFiles(path);
    return e.name.endsWith('.md') ? [path] : [];
  });
}

/** A markdown page's text without its code blocks and code spans (where links are not links). */
function prose(file: string): string {
  return readFileSync(file, 'utf8')
    .replace(/```[\s\S]*?```/g, '')
    .replace(/`[^`\n]*`/g, '');
}

interface Link {
  /** The file linked to, relative to the page; '' for a link within the page (`#fragment`). */
  path: string;
  /** The `#fragment`, decoded; undefined when the link has none. */
  fragment: string | undefined;
}

/** The relative links of a markdown page (outside code blocks and code spans). */
function links(file: string): Link[] {
  const text = prose(file);
  const targets = [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g), ...text.matchAll(/^\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1] ?? '');
  return targets
    .filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t))
    .map((t) => {
      const at = t.indexOf('#');
      return at < 0 ? { path: decodeURI(t), fragment: undefined } : { path: decodeURI(t.slice(0, at)), fragment: decodeURIComponent(t.slice(at + 1)) };
    });
}

/** The relative link targets of a markdown page, without their #fragment (links within the page left out). */
function relativeLinks(file: string): string[] {
  return links(file)
    .map((l) => l.path)
    .filter((p) => p !== '');
}

/**
 * The anchors a markdown page offers, as GitHub renders it: each heading's slug (its text without
 * markup, lower-cased, punctuation other than '-' and '_' removed, each space a '-'; a slug seen
 * before gets -1, -2, … as github-slugger does), and every explicit `<a id=…>` or `<a name=…>`.
 */
function anchors(markdown: string): Set<string> {
  const text = markdown.replace(/^ *(```|~~~)[\s\S]*?^ *\1/gm, '');
  const found = new Set<string>();
  const occurrences = new Map<string, number>();
  for (const m of text.matchAll(/^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/gm)) {
    const heading = (m[1] ?? '')
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images: their text
      .replace(/<[^>]+>/g, '') // inline HTML
      .replace(/`/g, '')
      .replace(/\*+/g, '');
    const base = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    let slug = base;
    while (occurrences.has(slug)) {
      const n = (occurrences.get(base) ?? 0) + 1;
      occurrences.set(base, n);
      slug = `${base}-${n}`;
    }
    occurrences.set(slug, 0);
    found.add(slug);
  }
  for (const m of text.matchAll(/<a\s[^>]*?\b(?:id|name)\s*=\s*["']([^"']+)["']/gi)) found.add(m[1] ?? '');
  return found;
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

  it.each(pages.map((p) => [relative(root, p), p]))('%s links to #fragments that are headings or anchors of their page', (_name, page) => {
    const broken = links(page)
      .filter((l) => l.fragment !== undefined && (l.path === '' || l.path.endsWith('.md')))
      .filter((l) => {
        const to = l.path === '' ? page : resolve(dirname(page), l.path);
        return !existsSync(to) || !anchors(readFileSync(to, 'utf8')).has(l.fragment as string);
      })
      .map((l) => `${l.path}#${l.fragment}`);
    expect(broken).toEqual([]);
  });

  it('derives anchors as GitHub does', () => {
    const page = [
      '# Guardrails (`npm run bench -- --guardrails`), 25 Nov 2026',
      '## Latest',
      '## Latest',
      '### The **console**: [Approvals](x.md) & co.',
      '```',
      '# not a heading',
      '```',
      'Text <a id="relay-children"></a> and <a name="old-name"></a>.',
    ].join('\n');
    expect([...anchors(page)]).toEqual([
      'guardrails-npm-run-bench------guardrails-25-nov-2026',
      'latest',
      'latest-1',
      'the-console-approvals--co',
      'relay-children',
      'old-name',
    ]);
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
