#!/usr/bin/env node
/**
 * Writes the public corpora of texts *about* injection (issue #51): security write-ups that explain,
 * quote and classify attacks on models, cut into paragraph-sized items, all labelled benign
 * (`benign_about_injection`). `prompt_guard` must leave them alone; a gateway meets them in tool
 * results (a fetched web page, a README, a ticket quoting an advisory).
 *
 *   node scripts/corpora/gather-injection-public.mjs <mirrors-dir> [out-dir=bench/corpora/injection]
 *
 * <mirrors-dir> holds bare git snapshots named `owner+name/repo`; files are read with `git show HEAD:path`.
 * Sources, their licence (both allow redistribution with attribution; kept in `source` of every item):
 * - safe-agentic-framework/safe-mcp: the SAFE-MCP technique and mitigation pages (documentation
 *   CC BY 4.0): MCP tool poisoning, exfiltration, shadowing… with the payloads quoted. English.
 *   → tune-public-safe-mcp.jsonl
 * - OWASP/www-project-top-10-for-large-language-model-applications: the LLM Top 10 2025 pages and
 *   every translation of them (CC BY-SA 4.0; this file is under the same licence). 12 languages.
 *   → tune-public-owasp-llm.jsonl
 * - MCP and prompt-injection security guides, the held-out source (judged on, never tuned to):
 *   slowmist/MCP-Security-Checklist README in English and Chinese (MIT), invariantlabs-ai/mcp-scan
 *   README (Apache-2.0), and the OWASP Top 10 for LLM 1.1 translations (de, hi, it, ja, pt, zh;
 *   CC BY-SA 4.0). → holdout-public-guides.jsonl. tldrsec/prompt-injection-defenses (no licence
 *   file: not redistributed) → <out-dir>/../outside/holdout-public-tldrsec.jsonl only when
 *   OUTSIDE=<dir> is set.
 *
 * Besides paragraphs, every sentence that quotes something (quotation marks or a code span of 12
 * characters or more) is an item of its own, with the sentence before it: the short form in which
 * an advisory, a ticket or a chat message quotes a payload.
 *
 * An item is a paragraph with the heading above it; a list is one item; a code block stays with the
 * paragraph that introduces it (a write-up quotes a payload after "for example:"). Tables, images,
 * link lists and front matter are left out. Deterministic: sampling is seeded.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rng } from '../seeded-random.mjs';

const [mirrors, outDir = 'bench/corpora/injection'] = process.argv.slice(2);
if (!mirrors) {
  console.error('usage: gather-injection-public.mjs <mirrors-dir> [out-dir]');
  process.exit(2);
}
const MIN = 60;
const MAX = 1500;

function git(repo, args) {
  return execFileSync('git', ['--git-dir', join(mirrors, repo.replace('/', '+'), 'repo'), ...args], { maxBuffer: 64 << 20, encoding: 'utf8' });
}
const show = (repo, path) => git(repo, ['show', `HEAD:${path}`]);
const list = (repo, under) => git(repo, ['ls-tree', '-r', '--name-only', 'HEAD', under]).split('\n').filter(Boolean);

/** Markdown cut into blocks: paragraphs, lists and fenced code, each with the heading above it. */
function paragraphs(markdown) {
  const text = markdown.replace(/\r/g, '').replace(/^---\n[\s\S]*?\n---\n/, '');
  const blocks = [];
  let heading = '';
  let current = [];
  let fence = false;
  const flush = () => {
    if (current.length > 0) blocks.push({ heading, body: current.join('\n').trim() });
    current = [];
  };
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) {
      fence = !fence;
      current.push(line);
      if (!fence) flush();
      continue;
    }
    if (fence) {
      current.push(line);
      continue;
    }
    if (/^#{1,6}\s/.test(line)) {
      flush();
      heading = line.trim();
      continue;
    }
    if (line.trim() === '') {
      // A list continues over blank lines between its items.
      if (current.length > 0 && /^\s*([-*+]|\d+\.)\s/.test(current[current.length - 1] ?? '')) continue;
      flush();
      continue;
    }
    current.push(line);
  }
  flush();
  // A code block joins the paragraph before it when that paragraph introduces it.
  const out = [];
  for (const b of blocks) {
    const prev = out[out.length - 1];
    if (/^\s*(```|~~~)/.test(b.body) && prev && prev.heading === b.heading && /[:：]\s*$/.test(prev.body)) prev.body += `\n${b.body}`;
    else out.push({ ...b });
  }
  return out
    .filter((b) => !/^\s*\|/.test(b.body) && !/^\s*!\[/.test(b.body) && !/^\s*<(img|p|div|table)/i.test(b.body))
    .filter((b) => !/^\s*(```|~~~)/.test(b.body))
    .map((b) => (b.heading && !/^#\s/.test(b.heading) ? `${b.heading}\n\n${b.body}` : b.body))
    .filter((t) => {
      const prose = t.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/https?:\/\/\S+/g, '');
      return prose.replace(/\s+/g, ' ').trim().length >= MIN && t.length <= MAX;
    });
}

const QUOTE = /["“„«「『`][^"“”„«»「」『』`\n]{12,}["”“»」』`]/u;

/** Sentences that quote something, each with the sentence before it. */
function quoteSentences(paragraph) {
  const body = paragraph.replace(/^#{1,6} .*\n+/, '');
  if (/^\s*(```|~~~)/m.test(body)) return [];
  const sentences = body.split(/(?<=[.!?。！？])\s+|\n+/u).filter((x) => x.trim().length > 0);
  const out = [];
  for (let i = 0; i < sentences.length; i++) {
    if (!QUOTE.test(sentences[i])) continue;
    const text = (i > 0 ? `${sentences[i - 1]} ${sentences[i]}` : sentences[i]).trim();
    if (text.length >= MIN && text.length <= MAX) out.push(text);
  }
  return out;
}

/** Paragraphs, and the quoting sentences of every paragraph. */
function itemsOf(markdown) {
  const paras = paragraphs(markdown);
  return { paras, quotes: paras.flatMap(quoteSentences) };
}

function pick(items, n, random) {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, n);
}

function write(file, items) {
  writeFileSync(join(outDir, file), `${items.map((i) => JSON.stringify(i)).join('\n')}\n`);
  console.log(`${file}: ${items.length} items`);
}

// SAFE-MCP: every technique page, up to 10 paragraphs each (the pages are long and alike in shape).
{
  const repo = 'safe-agentic-framework/safe-mcp';
  const random = rng(5101);
  const items = [];
  for (const path of list(repo, 'techniques').filter((p) => /^techniques\/[^/]+\/README\.md$/.test(p))) {
    const id = path.split('/')[1];
    const { paras, quotes } = itemsOf(show(repo, path));
    for (const text of [...pick(paras, 10, random), ...pick(quotes, 4, random)])
      items.push({
        id: `safemcp-${id}-${items.length}`,
        text,
        label: 'benign',
        category: 'benign_about_injection',
        lang: 'en',
        channel_hint: 'tool_result',
        source: `safe-agentic-framework/safe-mcp ${path} (CC BY 4.0)`,
      });
  }
  write('tune-public-safe-mcp.jsonl', items);
}

// OWASP LLM Top 10 2025: prompt injection and system prompt leakage in full, 5 paragraphs of every other page.
{
  const repo = 'OWASP/www-project-top-10-for-large-language-model-applications';
  const random = rng(5102);
  const items = [];
  const pages = list(repo, '2_0_vulns').filter((p) => /\/LLM\d\d_[^/]*\.md$/.test(p));
  for (const path of pages) {
    const m = /translations\/([a-z]{2})-[A-Z]{2}\//.exec(path);
    const lang = m ? m[1] : 'en';
    const core = /LLM0[17]_/.test(path);
    const { paras, quotes } = itemsOf(show(repo, path));
    for (const text of [...(core ? paras : pick(paras, 5, random)), ...(core ? quotes : pick(quotes, 2, random))])
      items.push({
        id: `owasp-${lang}-${path.split('/').pop().slice(0, 5)}-${items.length}`,
        text,
        label: 'benign',
        category: 'benign_about_injection',
        lang,
        channel_hint: 'tool_result',
        source: `OWASP Top 10 for LLM Applications 2025, ${path} (CC BY-SA 4.0)`,
      });
  }
  write('tune-public-owasp-llm.jsonl', items);
}

// The held-out source: guides by other authors, in English, Chinese and six OWASP 1.1 languages.
{
  const random = rng(5103);
  const items = [];
  const add = (repo, path, lang, licence, cap) => {
    const { paras, quotes } = itemsOf(show(repo, path));
    for (const text of [...pick(paras, cap, random), ...pick(quotes, Math.ceil(cap / 2), random)])
      items.push({
        id: `guides-${lang}-${items.length}`,
        text,
        label: 'benign',
        category: 'benign_about_injection',
        lang,
        channel_hint: 'tool_result',
        source: `${repo} ${path} (${licence})`,
      });
  };
  add('slowmist/MCP-Security-Checklist', 'README.md', 'en', 'MIT', 80);
  add('slowmist/MCP-Security-Checklist', 'README_CN.md', 'zh', 'MIT', 80);
  add('invariantlabs-ai/mcp-scan', 'README.md', 'en', 'Apache-2.0', 60);
  const owasp = 'OWASP/www-project-top-10-for-large-language-model-applications';
  for (const path of list(owasp, 'Archive/1_1_vulns/translations').filter((p) => /\/LLM\d\d_[^/]*\.md$/.test(p))) {
    const lang = path.split('/')[3];
    add(owasp, path, lang, 'CC BY-SA 4.0', /LLM0[17]_/.test(path) ? 40 : 4);
  }
  write('holdout-public-guides.jsonl', items);
  if (process.env.OUTSIDE) {
    const random2 = rng(5104);
    const { paras, quotes } = itemsOf(show('tldrsec/prompt-injection-defenses', 'README.md'));
    const out = [...pick(paras, 200, random2), ...pick(quotes, 100, random2)].map((text, i) => ({
      id: `tldrsec-${i}`,
      text,
      label: 'benign',
      category: 'benign_about_injection',
      lang: 'en',
      channel_hint: 'tool_result',
      source: 'tldrsec/prompt-injection-defenses README.md (no licence file: not redistributed)',
    }));
    writeFileSync(join(process.env.OUTSIDE, 'holdout-public-tldrsec.jsonl'), `${out.map((i) => JSON.stringify(i)).join('\n')}\n`);
    console.log(`holdout-public-tldrsec.jsonl: ${out.length} items (outside)`);
  }
}
