#!/usr/bin/env node
/**
 * Writes the role prompts of awesome-chatgpt-prompts (f/awesome-chatgpt-prompts prompts.csv @ 0002c43a, CC0-1.0:
 * 197 prompts people give an assistant — "I want you to act as a travel guide …") as injection-corpus items. They
 * are the benign twin of the in-the-wild jailbreaks (gather-jailbreaks-wild.mjs): a persona asked for, with no order
 * against the model's rules. A prompt whose title names a jailbreak (one: "Unconstrained AI model DAN") is labelled
 * an injection, category `jailbreak`. Every even-numbered prompt goes to the tune file (trained on), every
 * odd-numbered one to the public file (scored, never read).
 *
 *   node scripts/corpora/gather-role-prompts.mjs <prompts.csv> [out-dir=bench/corpora/injection]
 *
 * The CSV is read as saved from that commit (its mirror keeps the file out of the snapshot: read it whole).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [csvPath, outArg] = process.argv.slice(2);
if (!csvPath) {
  console.error('usage: gather-role-prompts.mjs <prompts.csv> [out-dir]');
  process.exit(2);
}
const out = outArg ?? join(dirname(fileURLToPath(import.meta.url)), '../../bench/corpora/injection');
const source = 'awesome-chatgpt-prompts prompts.csv @ f/awesome-chatgpt-prompts 0002c43a (CC0-1.0)';
const JAILBREAK_TITLE = /\bDAN\b|jailbreak/i;

/** RFC 4180 rows: fields in double quotes may hold commas, newlines and "" for a quote. */
function csvRows(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

const [header, ...rows] = csvRows(readFileSync(csvPath, 'utf8'));
if (header[0] !== 'act' || header[1] !== 'prompt') throw new Error(`${csvPath}: expected the columns act,prompt`);
const item = ([act, text], i) => {
  const jailbreak = JAILBREAK_TITLE.test(act);
  return JSON.stringify({
    id: `acp-${String(i + 1).padStart(4, '0')}`,
    text,
    label: jailbreak ? 'injection' : 'benign',
    category: jailbreak ? 'jailbreak' : 'benign_plain',
    lang: 'en',
    channel_hint: 'chat',
    source: `${source}: "${act}"`,
  });
};
const lines = (parity) => rows.flatMap((r, i) => (i % 2 === parity ? [item(r, i)] : []));
writeFileSync(join(out, 'tune-public-role-prompts.jsonl'), `${lines(0).join('\n')}\n`);
writeFileSync(join(out, 'public-role-prompts.jsonl'), `${lines(1).join('\n')}\n`);
console.log(`${rows.length} prompts: ${Math.ceil(rows.length / 2)} tune, ${Math.floor(rows.length / 2)} public`);
