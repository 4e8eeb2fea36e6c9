#!/usr/bin/env node
/**
 * Writes benign injection-corpus items from the npm packages installed in node_modules: what a coding agent reads
 * through a gateway (source files, the sources inside source maps, type declarations, licence files, READMEs,
 * changelogs, package manifests). Only packages whose manifest names a permissive licence (MIT, ISC, Apache-2.0,
 * BSD-2-Clause, BSD-3-Clause, 0BSD) are read; each item names its package, version, file and licence.
 *
 * The learned tier read the MIT licence at 0.97 and 6.5 % of the JavaScript files and a quarter of the source maps
 * of a sample of node_modules as injections (28 Nov 2026): it had read no code and no licence. Packages are split by
 * a hash of their name: the tune file (trained on) holds one half, the holdout file (only scored) the other.
 *
 *   node scripts/corpora/gather-package-files.mjs [node_modules=./node_modules] [out-dir=bench/corpora/injection]
 *
 * Deterministic for one installed tree (package-lock.json): files are read in sorted order and picked by hash.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const [modulesArg, outArg] = process.argv.slice(2);
const modules = modulesArg ?? join(root, 'node_modules');
const out = outArg ?? join(root, 'bench/corpora/injection');
const PERMISSIVE = new Set(['MIT', 'ISC', 'Apache-2.0', 'BSD-2-Clause', 'BSD-3-Clause', '0BSD']);
// Per split: how many items of each kind, and how long an excerpt may be.
const TARGET = { code: 420, license: 60, docs: 160, manifest: 40 };
const MIN_CHARS = 200;
const MAX_CHARS = 2_400;

const hash = (s) => createHash('sha256').update(s).digest();

/** Every package directory (scoped ones included, nested node_modules too), sorted. */
function packages(dir, depth = 0) {
  const found = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  } catch {
    return found;
  }
  for (const e of entries) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.name.startsWith('@')) found.push(...packages(p, depth));
    else {
      found.push(p);
      if (depth < 3) found.push(...packages(join(p, 'node_modules'), depth + 1));
    }
  }
  return found;
}

/** The files of a package worth reading, sorted (its own node_modules left out). */
function filesOf(dir) {
  const found = [];
  const walk = (d, depth) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && !e.name.startsWith('.') && depth < 6) walk(p, depth + 1);
      } else if (e.isFile()) found.push(p);
    }
  };
  walk(dir, 0);
  return found;
}

/** The kind of a file, or null when it is not read. */
function kindOf(file) {
  const name = basename(file).toLowerCase();
  if (/^(licen[cs]e|copying)(\.md|\.txt)?$/.test(name)) return 'license';
  if (/^(readme|changelog|history)(\.md|\.markdown)?$/.test(name) || extname(name) === '.md') return 'docs';
  if (name === 'package.json') return 'manifest';
  if (/\.(m?js|cjs|ts|mts|cts|jsx|tsx)$/.test(name) || name.endsWith('.map')) return 'code';
  return null;
}

/** A file's text as read (a source map: the sources it holds), or null. */
function textOf(file) {
  try {
    if (statSync(file).size > 512 * 1024) return null;
    const text = readFileSync(file, 'utf8');
    if (!file.endsWith('.map')) return text;
    const sources = JSON.parse(text).sourcesContent;
    return Array.isArray(sources) ? sources.filter((s) => typeof s === 'string').join('\n') : null;
  } catch {
    return null;
  }
}

/** An excerpt of MIN_CHARS..MAX_CHARS characters at a place chosen by hash, cut at line ends. */
function excerpt(text, key) {
  if (text.length < MIN_CHARS) return null;
  if (text.length <= MAX_CHARS) return text;
  const h = hash(key);
  const length = MIN_CHARS + (h.readUInt32BE(0) % (MAX_CHARS - MIN_CHARS));
  let start = h.readUInt32BE(4) % (text.length - length);
  const line = text.lastIndexOf('\n', start);
  start = line >= 0 ? line + 1 : 0;
  let end = text.indexOf('\n', start + length);
  if (end < 0) end = text.length;
  const cut = text.slice(start, Math.min(end, start + MAX_CHARS));
  return cut.trim().length >= MIN_CHARS ? cut : null;
}

const pools = { tune: { code: [], license: [], docs: [], manifest: [] }, holdout: { code: [], license: [], docs: [], manifest: [] } };
for (const dir of packages(modules)) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  } catch {
    continue;
  }
  const license = typeof manifest.license === 'string' ? manifest.license : '';
  if (!PERMISSIVE.has(license) || typeof manifest.name !== 'string') continue;
  const split = hash(manifest.name)[0] % 2 === 0 ? 'tune' : 'holdout';
  for (const file of filesOf(dir)) {
    const kind = kindOf(file);
    if (kind === null) continue;
    pools[split][kind].push({ file, pkg: manifest.name, version: String(manifest.version ?? ''), license });
  }
}

for (const split of ['tune', 'holdout']) {
  const items = [];
  const seen = new Set();
  for (const [kind, want] of Object.entries(TARGET)) {
    // Picked by hash of the path, so the choice does not depend on how many files a tree holds in all.
    const ranked = pools[split][kind].map((f) => ({ ...f, rank: hash(relative(modules, f.file)).readUInt32BE(0) })).sort((a, b) => a.rank - b.rank);
    let taken = 0;
    for (const f of ranked) {
      if (taken >= want) break;
      const text = textOf(f.file);
      if (text === null) continue;
      const cut = excerpt(text, relative(modules, f.file));
      if (cut === null) continue;
      // One licence text is the same in hundreds of packages: each wording once.
      const digest = hash(
        cut
          .replace(/\s+/g, ' ')
          .replace(/copyright.*$/gim, '')
          .trim(),
      ).toString('hex');
      if (seen.has(digest)) continue;
      seen.add(digest);
      taken++;
      items.push({
        id: `pkg-${split}-${kind}-${String(taken).padStart(4, '0')}`,
        text: cut,
        label: 'benign',
        category: `benign_${kind}`,
        lang: 'en',
        channel_hint: 'tool_result',
        source: `npm ${f.pkg}@${f.version} ${relative(join(modules, '..'), f.file).split('node_modules/').pop()} (${f.license})`,
      });
    }
  }
  const path = join(out, `${split}-public-packages.jsonl`);
  writeFileSync(path, `${items.map((it) => JSON.stringify(it)).join('\n')}\n`);
  console.log(`${path}: ${items.length} items`);
}
