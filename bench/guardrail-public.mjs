// The shipped prompt_guard scorer (dist/, default options, blocked = score ≥ 0.5) on public many-author injection
// material kept outside the repository (its licences forbid committing it): one `{text, y, source, kind}` a line,
// y = 1 an injection, as scripts/corpora/gather-injection-training.mjs writes it. Counts per source and label only.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './lib.mjs';

/** Items and blocked per source and label (injection or benign), in source order. */
export async function publicInjectionTallies(path) {
  const { createInjectionScorer } = await import(pathToFileURL(join(ROOT, 'dist', 'gateway', 'guardrails', 'index.js')).href);
  const scorer = createInjectionScorer();
  const tallies = new Map();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const item = JSON.parse(line);
    const key = `${item.source}\u0000${item.y === 1 ? 'injection' : 'benign'}`;
    const t = tallies.get(key) ?? { source: item.source, label: item.y === 1 ? 'injection' : 'benign', items: 0, blocked: 0 };
    t.items++;
    if (scorer.scoreText(String(item.text)).score >= 0.5) t.blocked++;
    tallies.set(key, t);
  }
  return [...tallies.values()];
}
