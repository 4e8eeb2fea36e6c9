#!/usr/bin/env node
/**
 * Writes five corpora of real multilingual documentation (issue #51, 26 Nov 2026), all labelled benign:
 * the near-miss texts a model reads from a tool — setup steps, warnings, "do not share your token",
 * "send a request to", roles and permissions, pages about secrets, README and CLI reference prose.
 * `prompt_guard` must leave them alone.
 *
 *   node scripts/corpora/gather-benign-docs.mjs <mirrors-dir> [out-dir=bench/corpora/injection] [only-file]
 *
 * With [only-file] (e.g. tune-public-docs-i18n2.jsonl) only that file is written, and only its sources are read;
 * each file has its own seed, so writing one alone gives the same bytes as writing all five.
 *
 * <mirrors-dir> holds git snapshots named `owner+name/repo` (as the fetch of the session leaves them);
 * files are read with `git show <pinned commit>:path`, so the output is the same on every run
 * (sampling is seeded). Split by source, and the Prompt Engineering Guide by language:
 * - tune (read and tuned to) → tune-public-docs-i18n.jsonl: the react.dev translations, 13 languages
 *   (reactjs/<lang>.react.dev, documentation under CC BY 4.0, LICENSE-DOCS.md), 8 items a language; the Prompt
 *   Engineering Guide (dair-ai/Prompt-Engineering-Guide, MIT) in en, de, es, fr, ja, zh, 48 items a language.
 * - held out (only scored, never read item by item) → holdout-public-docs-i18n.jsonl: the guide's other languages
 *   (ca, fi, it, ko, pt, ru, tr; 30 each); tldr-pages command-line help (CC BY 4.0; 18 languages, 12 pages each, a
 *   whole page an item); the Vue documentation translations (vuejs-translations/docs-<lang>: zh-cn, ja, ko, fr under
 *   CC BY 4.0, it under MIT; 30 each); the Kubernetes documentation of the retired Chinese localisation repository
 *   (kubernetes-retired/kubernetes-docs-zh, a 2018 copy of kubernetes/website: content/cn and content/en, CC BY 4.0),
 *   40 Chinese and 50 English items, the English ones weighted to the security, access-control and kubectl pages.
 * - a second tune set (added the same day, from sources none of the held-out ones) → tune-public-docs-i18n2.jsonl:
 *   the Astro documentation (withastro/docs, MIT, src/content/docs/<lang>) in en, de, es, fr, it, ja, ko, pl, pt-br,
 *   ru, zh-cn (30 each), zh-tw (20), ar, hi (15 each); the Vite documentation translations (vitejs/docs-ja, docs-es,
 *   docs-pt, docs-ko, MIT; guide and config pages), 40 each. Half of the near-miss items come from the CLI,
 *   configuration, API, environment-variable, secrets, sessions, middleware and deployment pages. vitejs/docs-cn is
 *   under CC BY-NC-SA 4.0 and not used.
 * - a third tune set (23:05 UTC, sources none of the above) → tune-public-docs-i18n3.jsonl: the Nushell book, cookbook
 *   and command reference (nushell/nushell.github.io, MIT, LICENSE) in en (60), de (40), es (30), fr (12), ja (40),
 *   ko (45), pt-BR (20), ru (10), zh-CN (50); the Tauri documentation (tauri-apps/tauri-docs, MIT, LICENSE; English
 *   at the root of src/content/docs, 60; zh-cn 45, fr 20, es 15), weighted to security, permissions, capabilities,
 *   CSP, signing, updater, CLI and configuration pages; the pnpm documentation (pnpm/pnpm.io, MIT, LICENSE; docs/,
 *   English only, 70), weighted to the CLI reference, settings/.npmrc, auth and publishing pages. Nushell's tr
 *   pages (two) give no item and are left out; pnpm's translations live outside the repository.
 * kubernetes/website itself (and docker/docs, mdn/translated-content) are over the 500 MiB snapshot limit of this
 * workplace; the retired localisation repository is the same site's text.
 *
 * An item is a paragraph (with the heading above it), a list, or a code block with the paragraph that
 * introduces it. Two thirds of a language's items are drawn from the paragraphs that hold an
 * instruction- or security-like word (ignore, never, token, secret, password, prompt, role,
 * permission, send, warning… in the language), the rest from all paragraphs. Paragraphs of a
 * translation left in English are labelled `en`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rng } from '../seeded-random.mjs';

const [mirrors, outDir = 'bench/corpora/injection', only] = process.argv.slice(2);
if (!mirrors) {
  console.error('usage: gather-benign-docs.mjs <mirrors-dir> [out-dir] [only: a file name to write alone]');
  process.exit(2);
}
const MIN = 60;
const MAX = 1500;

/** Every source: repository, pinned commit, licence, language, which files, how many items. */
const REACT = [
  ['de', 'reactjs/de.react.dev', '2e664a02b30e6aefee68f35de685699dee3f6e75'],
  ['es', 'reactjs/es.react.dev', 'e91a76a98e0291fd3ae2abeb3da31442981a77f1'],
  ['fr', 'reactjs/fr.react.dev', 'd60169fc8269d36347b340dd1def35c7af8e031d'],
  ['it', 'reactjs/it.react.dev', '8bd188a0e13e4d834874770af0616037365347dc'],
  ['ja', 'reactjs/ja.react.dev', '7f38231d9d5dddaae6ac51da7d0f173d697f835c'],
  ['ko', 'reactjs/ko.react.dev', '2e8c873c3cea6703d1c94d01b5d5716259005c8e'],
  ['pl', 'reactjs/pl.react.dev', '29bb57389586ff9b3b20b463041bf48931ff3496'],
  ['pt', 'reactjs/pt-br.react.dev', 'ac8362350bbc25125a88b9309b54457589023c7e'],
  ['ru', 'reactjs/ru.react.dev', '2361adda823b4cb04f0c46aade0303d20e6cb8a4'],
  ['tr', 'reactjs/tr.react.dev', 'd7efe07efe6abdd1b32d00be9cd58d54a154c61b'],
  ['uk', 'reactjs/uk.react.dev', 'da7bd45121c470cd4ec997e6c760d5029ac0f75c'],
  ['vi', 'reactjs/vi.react.dev', 'b149357cfb8ae87f02ef108132114e5641d5c16f'],
  ['zh', 'reactjs/zh-hans.react.dev', 'f6cda05526ceff44b24588e9e0c2e2106d4588d4'],
].map(([lang, repo, commit]) => ({ lang, repo, commit, licence: 'CC BY 4.0', under: 'src/content', n: 8 }));

/** The Prompt Engineering Guide: its pages in 13 languages (`pages/…/<name>.<code>.mdx`), split by language. */
const PEG = (codes, n) =>
  codes.map(([lang, code]) => ({
    lang,
    repo: 'dair-ai/Prompt-Engineering-Guide',
    commit: '3d96678f28793e6f23ac6c0127799489f2c9022b',
    licence: 'MIT',
    under: 'pages',
    only: new RegExp(`\\.${code}\\.mdx$`),
    about: /(risks|adversarial|jailbreak|injection|leaking)/,
    n,
  }));

const VUE = [
  ['zh', 'vuejs-translations/docs-zh-cn', 'c2715ff75bae5376bc5bf212280ae76e30089fbd', 'CC BY 4.0'],
  ['ja', 'vuejs-translations/docs-ja', 'c627102bfabf8bc5ecaa6eb763b965a0a5d43a5b', 'CC BY 4.0'],
  ['ko', 'vuejs-translations/docs-ko', '6e646acb5687510feda533281faa546b26ea243c', 'CC BY 4.0'],
  ['fr', 'vuejs-translations/docs-fr', 'f944e8479b8d8ef3caa21a3ae415ba927b7492a7', 'CC BY 4.0'],
  ['it', 'vuejs-translations/docs-it', 'cc1661807615bd413591d584764fdad9efb35028', 'MIT'],
].map(([lang, repo, commit, licence]) => ({ lang, repo, commit, licence, under: 'src', n: 30 }));

const K8S_REPO = 'kubernetes-retired/kubernetes-docs-zh';
const K8S_COMMIT = 'e0dfea22be6f8da07fc61d2000314cfc8d564cc8';
const K8S = [
  { lang: 'zh', repo: K8S_REPO, commit: K8S_COMMIT, licence: 'CC BY 4.0', under: 'content/cn/docs', n: 40 },
  {
    lang: 'en',
    repo: K8S_REPO,
    commit: K8S_COMMIT,
    licence: 'CC BY 4.0',
    under: 'content/en/docs',
    n: 50,
    // The pages a model reading cluster documentation for an operator meets most: secrets, access, kubectl.
    prefer: /(secret|authn|authz|rbac|security|service-account|kubectl|token|credential|admission)/,
  },
];

/** tldr-pages: command-line help pages (a whole page an item: what a CLI's help prints), CC BY 4.0. */
const TLDR = ['ar', 'de', 'es', 'fa', 'fr', 'hi', 'id', 'it', 'ja', 'ko', 'nl', 'pl', 'pt_BR', 'ru', 'th', 'tr', 'uk', 'zh'].map((dir) => ({
  lang: dir.slice(0, 2),
  repo: 'tldr-pages/tldr',
  commit: '08e345f42639f67d99282813247ac670dc6e87cb',
  licence: 'CC BY 4.0',
  under: `pages.${dir}/common`,
  whole: true,
  n: 12,
}));

/**
 * The second tune set: the Astro documentation (withastro/docs, MIT; src/content/docs/<lang>) and four
 * translations of the Vite documentation (vitejs/docs-ja, docs-es, docs-pt, docs-ko, MIT; vitejs/docs-cn is under
 * CC BY-NC-SA and left out). Both weighted to the CLI, configuration, API and environment/security pages.
 * Their imports of the site's components and `:::tip` container fences are removed before a page is cut.
 */
/** An MDX import of the site's own components (`~/components/…`) and a `:::tip` / `::: warning` fence line. */
const MDX_NOISE = /^(import\s.*from\s+['"]~\/.*|\s*:::.*)$/gm;
const ASTRO_COMMIT = '741c1b89ba13cf9b4ac4087ef09dc269e113fa77';
const ASTRO = [
  ['en', 'en', 30],
  ['de', 'de', 30],
  ['es', 'es', 30],
  ['fr', 'fr', 30],
  ['it', 'it', 30],
  ['ja', 'ja', 30],
  ['ko', 'ko', 30],
  ['pl', 'pl', 30],
  ['pt', 'pt-br', 30],
  ['ru', 'ru', 30],
  ['zh', 'zh-cn', 30],
  ['zh', 'zh-tw', 20],
  ['ar', 'ar', 15],
  ['hi', 'hi', 15],
].map(([lang, dir, n]) => ({
  lang,
  tag: dir.replace('-cn', ''),
  repo: 'withastro/docs',
  commit: ASTRO_COMMIT,
  licence: 'MIT',
  under: `src/content/docs/${dir}`,
  strip: MDX_NOISE,
  prefer: /(cli|config|api-reference|environment|env-|auth|security|secret|session|middleware|actions|adapter|deploy)/,
  n,
}));
const VITE = [
  ['ja', 'vitejs/docs-ja', '3237ae23aba865919bc6b2f7e68a784ea64c51ac', ['guide', 'config']],
  ['es', 'vitejs/docs-es', 'ceab6516303316a00310befa240c13722dd64b3e', ['docs/guide', 'docs/config']],
  ['pt', 'vitejs/docs-pt', '01bb4d9e170f5cb402292a263ca041b3c2d73f9f', ['docs/guide', 'docs/config']],
  ['ko', 'vitejs/docs-ko', '7cec40882780a30be887a9e7bacaa6e936868d6b', ['guide', 'config']],
].map(([lang, repo, commit, under]) => ({
  lang,
  repo,
  commit,
  licence: 'MIT',
  under,
  strip: MDX_NOISE,
  prefer: /(config|cli|env|api|ssr|backend|troubleshoot|server)/,
  n: 40,
}));

/**
 * The third tune set: the Nushell book and command reference (nushell/nushell.github.io, MIT; book/, commands/,
 * cookbook/ in English and the translated books under de, es, fr, ja, ko, pt-BR, ru, zh-CN), the Tauri
 * documentation (tauri-apps/tauri-docs, MIT; English at the root of src/content/docs, translations under es, fr,
 * zh-cn) and the pnpm documentation (pnpm/pnpm.io, MIT; docs/, English: CLI reference, settings, .npmrc, auth).
 * Weighted to the command, configuration, environment, security, permission/capability and deployment pages.
 */
/** Any MDX import line and a `::: tip` / `:::caution` container fence line. */
const IMPORTS_AND_FENCES = /^(import\s.*from\s+['"].*['"];?|\s*:::.*)$/gm;
const NU_COMMIT = '72e298f7d579c20cebede45c861d63cbb689838f';
const NUSHELL = [
  ['en', 'en', ['book', 'commands', 'cookbook'], 60],
  ['de', 'de', 'de', 40],
  ['es', 'es', 'es', 30],
  ['fr', 'fr', 'fr', 12],
  ['ja', 'ja', 'ja', 40],
  ['ko', 'ko', 'ko', 45],
  ['pt', 'pt', 'pt-BR', 20],
  ['ru', 'ru', 'ru', 10],
  ['zh', 'zh', 'zh-CN', 50],
].map(([lang, tag, under, n]) => ({
  lang,
  tag,
  repo: 'nushell/nushell.github.io',
  commit: NU_COMMIT,
  licence: 'MIT',
  under,
  strip: IMPORTS_AND_FENCES,
  prefer: /(config|environment|env|shell|command|plugin|secret|credential|http|sudo|run-external|install|hooks)/,
  n,
}));
const TAURI_COMMIT = 'e1c39c6ef06b936f70e977d53c60fcf329ec3702';
const TAURI = [
  ['en', ['about', 'concept', 'develop', 'distribute', 'plugin', 'reference', 'security', 'start'], 60],
  ['zh', 'zh-cn', 45],
  ['fr', 'fr', 20],
  ['es', 'es', 15],
].map(([lang, dirs, n]) => ({
  lang,
  repo: 'tauri-apps/tauri-docs',
  commit: TAURI_COMMIT,
  licence: 'MIT',
  under: [dirs].flat().map((d) => `src/content/docs/${d}`),
  strip: IMPORTS_AND_FENCES,
  prefer: /(security|permission|capabilit|scope|csp|isolation|cli|config|environment|sign|updater|distribute|shell|stronghold|http)/,
  n,
}));
const PNPM = [
  {
    lang: 'en',
    repo: 'pnpm/pnpm.io',
    commit: '4096ad35b19c7d7e0c2c64c704c57daf5bb91668',
    licence: 'MIT',
    under: 'docs',
    strip: IMPORTS_AND_FENCES,
    prefer: /(cli\/|settings|npmrc|config|auth|token|env|security|publish|deploy|registr)/,
    n: 70,
  },
];

/**
 * The fourth tune set (27 Nov 2026, sources none of the above), weighted to command-line reference pages — the kind of
 * real text the held-out tldr pages showed blocked: the Helm documentation (helm/helm-www, MIT; docs/ in English with
 * the `helm` command reference, i18n/<lang>/docusaurus-plugin-content-docs/version-3, the Helm 3 pages, in eleven languages), the Docker CLI
 * reference (docker/cli, Apache-2.0; docs/reference/commandline), the Starlight documentation (withastro/starlight,
 * MIT; docs/src/content/docs in English and nine languages), the Biome documentation (biomejs/website, MIT; English
 * guides, reference and lint rules, six translations) and the mise documentation (jdx/mise, MIT; docs/, English, its
 * CLI reference, environments, tasks and secrets pages).
 */
const HELM_COMMIT = '227f41447a683545325e87aedf10c67096d11004';
const HELM = [
  ['en', 'docs', 60],
  ...['de', 'el', 'es', 'fr', 'ja', 'ko', 'pt', 'ru', 'uk', 'zh'].map((l) => [l, `i18n/${l}/docusaurus-plugin-content-docs/version-3`, 20]),
  ['it', 'i18n/it/docusaurus-plugin-content-docs/version-3', 8],
].map(([lang, under, n]) => ({
  lang,
  repo: 'helm/helm-www',
  commit: HELM_COMMIT,
  licence: 'MIT',
  under,
  strip: IMPORTS_AND_FENCES,
  prefer: /(helm\/|rbac|provenance|registr|plugin|secur|permission|best_practices|install|values)/,
  n,
}));
const DOCKER_CLI = [
  {
    lang: 'en',
    repo: 'docker/cli',
    commit: '28f756087eea5fa301f3fbf12b01ae62f91521c2',
    licence: 'Apache-2.0',
    under: 'docs/reference',
    prefer: /(login|logout|secret|run|exec|config|context|trust|plugin|swarm|service|build|system_prune|rm)/,
    n: 80,
  },
];
const STARLIGHT_COMMIT = '3999be7cc18b41095d61e3b63d68ff3e6c6c050b';
const STARLIGHT = [
  ['en', ['components', 'guides', 'reference', 'resources'], 30],
  ...['de', 'es', 'fr', 'ja', 'ko', 'ru', 'zh-cn'].map((d) => [d.slice(0, 2), d, 12]),
  ...['it', 'pt-br', 'tr'].map((d) => [d.slice(0, 2), d, 6]),
].map(([lang, dirs, n]) => ({
  lang,
  tag: [dirs].flat()[0] === 'components' ? 'en' : dirs,
  repo: 'withastro/starlight',
  commit: STARLIGHT_COMMIT,
  licence: 'MIT',
  under: [dirs].flat().map((d) => `docs/src/content/docs/${d}`),
  strip: IMPORTS_AND_FENCES,
  prefer: /(config|frontmatter|plugin|override|i18n|route|middleware|css|authoring)/,
  n,
}));
const BIOME_COMMIT = '830c2a8d641c6c34ca551ff703dab758694c75e1';
const BIOME = [
  ['en', ['guides', 'reference', 'linter', 'formatter', 'assist', 'recipes'], 40],
  ...['es', 'fr', 'ja', 'pl', 'pt-BR', 'zh-CN'].map((d) => [d.slice(0, 2), d, 15]),
].map(([lang, dirs, n]) => ({
  lang,
  tag: Array.isArray(dirs) ? 'en' : dirs,
  repo: 'biomejs/website',
  commit: BIOME_COMMIT,
  licence: 'MIT',
  under: [dirs].flat().map((d) => `src/content/docs/${d}`),
  strip: IMPORTS_AND_FENCES,
  prefer: /(cli|configuration|reference|environment|suppression|security|recipes|guides)/,
  n,
}));
const MISE = [
  {
    lang: 'en',
    repo: 'jdx/mise',
    commit: '70e94a1f89fa27f3bbc2b933c6891a124f5ef04c',
    licence: 'MIT',
    under: 'docs',
    strip: IMPORTS_AND_FENCES,
    prefer: /(cli\/|environ|secret|task|config|trust|hook|shims|settings)/,
    n: 60,
  },
];

/**
 * In the fourth set too (02:20 UTC): observability documentation — metrics, traces, logs, alerts, dashboards, the
 * words of the API responses a gateway relays (a model trained on authors' attacks had learned "metrics" as a sign of
 * one): the OpenTelemetry documentation (open-telemetry/opentelemetry.io, CC BY 4.0; content/<lang>, English and six
 * translations) and the Prometheus documentation (prometheus/docs, Apache-2.0; docs/, English).
 */
const OTEL_COMMIT = 'dd5997c8b9fafbf72ea6b8059ade242d88b8f118';
const OTEL = [
  ['en', 50],
  ['es', 15],
  ['fr', 12],
  ['ja', 15],
  ['pt', 15],
  ['zh', 15],
  ['bn', 8],
].map(([lang, n]) => ({
  lang,
  repo: 'open-telemetry/opentelemetry.io',
  commit: OTEL_COMMIT,
  licence: 'CC BY 4.0',
  under: `content/${lang}`,
  strip: IMPORTS_AND_FENCES,
  prefer: /(metrics|collector|exporter|sampling|security|config|environment|sdk|concepts)/,
  n,
}));
const PROMETHEUS = [
  {
    lang: 'en',
    repo: 'prometheus/docs',
    commit: 'c105550aad07161f62d02e305ed09799ec6025fa',
    licence: 'Apache-2.0',
    under: 'docs',
    prefer: /(practices|guides|instrumenting|introduction|concepts)/,
    n: 50,
  },
];

function gitDir(repo) {
  const dir = join(mirrors, repo.replace('/', '+'), 'repo');
  return existsSync(join(dir, '.git')) ? join(dir, '.git') : dir;
}
function git(repo, args) {
  return execFileSync('git', ['--git-dir', gitDir(repo), ...args], { maxBuffer: 64 << 20, encoding: 'utf8' });
}
/** The pinned commit, or (a source pinned after its first run) the snapshot's HEAD, printed to pin. */
function commitOf(src) {
  const head = git(src.repo, ['rev-parse', 'HEAD']).trim();
  if (src.commit && src.commit !== head) {
    try {
      git(src.repo, ['cat-file', '-e', `${src.commit}^{commit}`]);
    } catch {
      throw new Error(`${src.repo}: pinned commit ${src.commit} not in the snapshot (HEAD ${head})`);
    }
    return src.commit;
  }
  if (!src.commit) console.error(`${src.repo}: not pinned, HEAD ${head}`);
  return src.commit || head;
}

/** Markdown cut into blocks: paragraphs, lists and fenced code, each with the heading above it. */
function paragraphs(markdown) {
  const text = markdown
    .replace(/\r/g, '')
    .replace(/^---\n[\s\S]*?\n---\n/, '')
    .replace(/\{\/\*[\s\S]*?\*\/\}/g, '')
    .replace(/<!--[\s\S]*?-->/g, '');
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
      heading = line.replace(/\s*\{\/\*.*?\*\/\}|\s*\{#[^}]*\}/g, '').trim();
      continue;
    }
    // A line that is only a JSX/HTML tag or a Hugo shortcode (<Pitfall>, </Note>, {{< note >}}) ends a block.
    if (line.trim() === '' || /^\s*<\/?[A-Za-z][\w.-]*(\s[^>]*)?\/?>\s*$/.test(line) || /^\s*\{\{[<%].*[>%]\}\}\s*$/.test(line)) {
      if (line.trim() === '' && current.length > 0 && /^\s*([-*+]|\d+\.)\s/.test(current[current.length - 1] ?? '')) continue;
      flush();
      continue;
    }
    current.push(line);
  }
  flush();
  const out = [];
  for (const b of blocks) {
    const prev = out[out.length - 1];
    if (/^\s*(```|~~~)/.test(b.body) && prev && prev.heading === b.heading && /[:：]\s*\**\s*$/.test(prev.body)) prev.body += `\n${b.body}`;
    else out.push({ ...b });
  }
  return out
    .filter((b) => !/^\s*\|/.test(b.body) && !/^\s*!\[/.test(b.body) && !/^\s*[<{]/.test(b.body))
    .filter((b) => !/^\s*(```|~~~)/.test(b.body))
    .map((b) => (b.heading && !/^#\s/.test(b.heading) ? `${b.heading}\n\n${b.body}` : b.body))
    .filter((t) => {
      const prose = t.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/https?:\/\/\S+/g, '');
      return prose.replace(/\s+/g, ' ').trim().length >= MIN && t.length <= MAX;
    });
}

/** Instruction- and security-like words, a few a language (drawing preference only). */
const NEAR_MISS = new RegExp(
  [
    String.raw`\b(ignor\w*|do not|don't|never|must|make sure|token|secret|password|credential|prompt|system|role|permission|admin\w*|send|request|instruction|warning|security|sensitive|disable|bypass|override|execute)\b`,
    String.raw`\b(nicht|niemals|muss|geheim\w*|passwort|anweisung\w*|warnung|sicherheit|rolle|berechtigung\w*|sende\w*)\b`,
    String.raw`\b(jamais|doit|doivent|jeton|mot de passe|avertissement|sécurité|rôle|envoy\w*)\b`,
    String.raw`\b(nunca|debe\w*|secreto|contraseña|instrucci\w*|advertencia|seguridad|permiso\w*|envi\w*)\b`,
    String.raw`\b(mai|deve\w*|segret\w*|istruzion\w*|avviso|sicurezza|ruolo|permess\w*|invia\w*)\b`,
    String.raw`(não|nunca|segredo|senha|instruç\w*|aviso|segurança|permiss\w*)`,
    String.raw`(nigdy|musi\w*|hasł\w*|instrukc\w*|ostrzeż\w*|bezpiecz\w*|uprawnie\w*|wyśl\w*)`,
    '(игнор|никогда|должн|токен|секрет|парол|инструкц|предупрежд|безопасн|роль|прав|отправ)',
    '(ігнор|ніколи|повин|токен|секрет|пароль|інструкц|попередж|безпек|роль|дозвол|надіс)',
    '(yoksay|görmezden|asla|gizli|parola|şifre|talimat|uyarı|güvenlik|izin|gönder)',
    '(bỏ qua|đừng|phải|bí mật|mật khẩu|hướng dẫn|cảnh báo|bảo mật|vai trò|quyền|gửi)',
    '(無視|しないで|いけません|必ず|トークン|シークレット|パスワード|指示|警告|セキュリティ|ロール|権限|送信|プロンプト)',
    '(무시|하지 마|절대|반드시|토큰|비밀|암호|지시|경고|보안|역할|권한|보내)',
    '(忽略|不要|切勿|必须|令牌|密钥|秘密|密码|指令|警告|安全|角色|权限|发送|提示)',
  ].join('|'),
  'iu',
);

/** A text about attacks on models (its page's path says so for the guide). */
const ABOUT = /prompt.?(injection|leak)|jailbreak|インジェクション|注入|인젝션|탈옥|脱獄|越狱/i;

const EN_WORDS = /\b(the|and|of|to|is|you|that|with|for)\b/gi;
/** The language of a paragraph of a translation: `en` where it was left in English. */
function langOf(text, lang) {
  if (lang === 'en') return 'en';
  const prose = text.replace(/```[\s\S]*?```/g, '').replace(/`[^`]*`/g, '');
  if (/^(zh|ja|ko|ru|uk)$/.test(lang)) return /[\u0400-\u04ff\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]/u.test(prose) ? lang : 'en';
  const words = prose.split(/\s+/).length;
  return (prose.match(EN_WORDS)?.length ?? 0) / Math.max(words, 1) > 0.12 ? 'en' : lang;
}

function shuffle(items, random) {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** `n` items of a source: two thirds near-miss paragraphs (of preferred pages first), the rest any. */
function sample(src, prefix, random) {
  const commit = commitOf(src);
  const paths = git(src.repo, ['ls-tree', '-r', '--name-only', commit, ...[src.under].flat()])
    .split('\n')
    .filter((p) => /\.mdx?$/.test(p) && !/(^|\/)(README|CHANGELOG|OWNERS)/.test(p) && (!src.only || src.only.test(p)));
  const pool = [];
  for (const path of paths) {
    const raw = git(src.repo, ['show', `${commit}:${path}`]);
    const page = src.strip ? raw.replace(src.strip, '') : raw;
    if (src.whole) {
      if (page.trim().length >= MIN && page.length <= MAX) pool.push({ path, text: page.trim() });
    } else for (const text of paragraphs(page)) pool.push({ path, text });
  }
  const seen = new Set();
  // Translated paragraphs first: a translation's pages left in English come last.
  const shuffled = shuffle(pool, random).filter((p) => (seen.has(p.text) ? false : seen.add(p.text)));
  const unique = [...shuffled.filter((p) => langOf(p.text, src.lang) === src.lang), ...shuffled.filter((p) => langOf(p.text, src.lang) !== src.lang)];
  const near = unique.filter((p) => NEAR_MISS.test(p.text));
  const preferred = src.prefer ? near.filter((p) => src.prefer.test(p.path)) : [];
  const nearCount = Math.round((src.n * 2) / 3);
  const chosen = [];
  const taken = new Set();
  const take = (list, upTo) => {
    for (const p of list) {
      if (chosen.length >= upTo) break;
      if (taken.has(p.text)) continue;
      taken.add(p.text);
      chosen.push(p);
    }
  };
  take(preferred, Math.round(nearCount / 2));
  take(near, nearCount);
  take(unique, src.n);
  return chosen.map((p, i) => ({
    id: `${prefix}-${src.tag ?? src.lang}-${String(i).padStart(3, '0')}`,
    text: p.text,
    label: 'benign',
    category: src.about?.test(p.path) || ABOUT.test(p.text) ? 'benign_about_injection' : 'benign_plain',
    lang: langOf(p.text, src.lang),
    channel_hint: 'tool_result',
    source: `${src.repo}@${commit.slice(0, 12)} ${p.path} (${src.licence})`,
  }));
}

/** Every file, or only the one named on the command line (its sources alone are read). */
const wanted = (file) => !only || only === file;
function write(file, items) {
  writeFileSync(join(outDir, file), `${items.map((i) => JSON.stringify(i)).join('\n')}\n`);
  console.log(`${file}: ${items.length} items`);
}

if (wanted('tune-public-docs-i18n.jsonl')) {
  const random = rng(9101);
  write('tune-public-docs-i18n.jsonl', [
    ...REACT.flatMap((src) => sample(src, 'reactdocs', random)),
    ...PEG(
      [
        ['en', 'en'],
        ['de', 'de'],
        ['es', 'es'],
        ['fr', 'fr'],
        ['ja', 'jp'],
        ['zh', 'zh'],
      ],
      48,
    ).flatMap((src) => sample(src, 'pguide', random)),
  ]);
}
if (wanted('holdout-public-docs-i18n.jsonl')) {
  const random = rng(9102);
  write('holdout-public-docs-i18n.jsonl', [
    ...PEG(
      [
        ['ca', 'ca'],
        ['fi', 'fi'],
        ['it', 'it'],
        ['ko', 'kr'],
        ['pt', 'pt'],
        ['ru', 'ru'],
        ['tr', 'tr'],
      ],
      30,
    ).flatMap((src) => sample(src, 'pguide', random)),
    ...TLDR.flatMap((src) => sample(src, 'tldr', random)),
    ...VUE.flatMap((src) => sample(src, 'vuedocs', random)),
    ...K8S.flatMap((src) => sample(src, 'k8sdocs', random)),
  ]);
}
if (wanted('tune-public-docs-i18n2.jsonl')) {
  const random = rng(9103);
  write('tune-public-docs-i18n2.jsonl', [
    ...ASTRO.flatMap((src) => sample(src, 'astrodocs', random)),
    ...VITE.flatMap((src) => sample(src, 'vitedocs', random)),
  ]);
}
if (wanted('tune-public-docs-i18n3.jsonl')) {
  const random = rng(9104);
  write('tune-public-docs-i18n3.jsonl', [
    ...NUSHELL.flatMap((src) => sample(src, 'nudocs', random)),
    ...TAURI.flatMap((src) => sample(src, 'tauridocs', random)),
    ...PNPM.flatMap((src) => sample(src, 'pnpmdocs', random)),
  ]);
}
if (wanted('tune-public-docs-i18n4.jsonl')) {
  const random = rng(9105);
  write('tune-public-docs-i18n4.jsonl', [
    ...HELM.flatMap((src) => sample(src, 'helmdocs', random)),
    ...DOCKER_CLI.flatMap((src) => sample(src, 'dockercli', random)),
    ...STARLIGHT.flatMap((src) => sample(src, 'starlightdocs', random)),
    ...BIOME.flatMap((src) => sample(src, 'biomedocs', random)),
    ...MISE.flatMap((src) => sample(src, 'misedocs', random)),
    ...OTEL.flatMap((src) => sample(src, 'oteldocs', random)),
    ...PROMETHEUS.flatMap((src) => sample(src, 'promdocs', random)),
  ]);
}
