import { newUnwrapBudget, type UnwrapBudget } from './injection/fold.js';
import { type InjectionHit, type InjectionScore, NO_INJECTION } from './injection.js';
import { runNow, type Work, windowsOf } from './slicing.js';
import { jsonInText } from './json-in-text.js';
import { walkJson } from './walk.js';

/** What scores text: the built-in engine (injection.ts) or anything with its shape. */
export interface TextScorer {
  scoreText(text: string, budget?: UnwrapBudget): InjectionScore;
}

/** Characters one injection window owns: an instruction is a sentence or a paragraph, far shorter. */
const WINDOW_CHARS = 32_768;
/** Read past a window, so a paragraph cut by its edge is read whole in one of the two. */
const OVERLAP_CHARS = 2_048;

/**
 * Fields that name the kind of record a text sits in (MCP content's `type: "text"`, a resource's `mimeType`): a word or
 * a media type, no sentence. Read as text they add a line of their own before the text, and the learned tier, which
 * reads a body in chunks, scored the same words differently in an MCP result than in a REST body (27 Nov 2026: three
 * injections the other channels blocked passed in tool results).
 */
const KIND_FIELDS: ReadonlySet<string> = new Set(['type', 'mimeType']);
const KIND_VALUE = /^[a-z]{1,16}(?:\/[\w.+-]{1,64})?$/i;

/**
 * Scores every text of a value (a string, or a JSON value walked by value) as one text, up to `maxChars` of it. A text
 * read already is not read again, nor a JSON text all of whose strings are read elsewhere in the value: a structured
 * tool result's text twin repeats its structured content, and the two joined read as neither does alone (27-29 Nov
 * 2026: a role change blocked in a text result scored 0 with its twin beside it; benign ones were blocked).
 */
export function scoreValue(scorer: TextScorer, value: unknown, maxChars = 4_194_304, stopAt = Number.POSITIVE_INFINITY): InjectionScore {
  return runNow(scoreValueSteps(scorer, value, maxChars, stopAt));
}

/** scoreValue as resumable work (slicing.ts): the joined text is read in windows, pausing between them. */
export function scoreValueSteps(scorer: TextScorer, value: unknown, maxChars = 4_194_304, stopAt = Number.POSITIVE_INFINITY): Work<InjectionScore> {
  if (typeof value === 'string') return scoreTextSteps(scorer, value.length > maxChars ? value.slice(0, maxChars) : value, undefined, stopAt);
  const texts = textsOf(value);
  const plain = new Set<string>();
  const json = new Map<string, object>();
  for (const text of texts) {
    const inner = jsonInText(text);
    if (inner === undefined) plain.add(text);
    else json.set(text, inner);
  }
  const parts: string[] = [];
  const read = new Set<string>();
  let size = 0;
  for (const text of texts) {
    if (size >= maxChars) break;
    if (read.has(text)) continue;
    read.add(text);
    const inner = json.get(text);
    if (inner !== undefined && textsOf(inner).every((t) => plain.has(t))) continue;
    parts.push(text);
    size += text.length + 1;
  }
  // A value's prose is read as one document; its tokens (ids, names of models, times, `stop`) as another: read among
  // the prose, they made the learned tier read a plain answer as an attack (`Sure. The quarterly report is attached…`
  // beside `llama3.2` and a time scored 0.52; alone, and beside the tokens read apart, 0).
  const prose: string[] = [];
  const tokens: string[] = [];
  for (const part of parts) (TOKEN.test(part) ? tokens : prose).push(part);
  return scoreEachSteps(
    scorer,
    [prose.join('\n'), tokens.join('\n')].filter((d) => d !== ''),
    maxChars,
    stopAt,
  );
}

/** A text of one token (no space, at most 64 characters): an id, a name, a time, a status. */
const TOKEN = /^\S{1,64}$/;

/**
 * The most suspicious of several texts, each read on its own, up to `maxChars` of them in all: a
 * stream's fields (a completion's text beside its model's name, its role, its times) are no one
 * document, and read joined, the learned tier scored a plain answer beside `llama3.2` and
 * `assistant` 0.5–0.97 (29 Nov 2026). Its hits are every text's (the most of each rule).
 */
export function* scoreEachSteps(scorer: TextScorer, texts: readonly string[], maxChars = 4_194_304, stopAt = Number.POSITIVE_INFINITY): Work<InjectionScore> {
  let best = NO_INJECTION;
  const hits = new Map<string, number>();
  let left = maxChars;
  for (const text of new Set(texts)) {
    if (left <= 0) break;
    const found = yield* scoreTextSteps(scorer, text.length > left ? text.slice(0, left) : text, undefined, stopAt);
    left -= text.length;
    if (found.score > best.score) best = found;
    for (const h of found.hits) hits.set(h.rule, Math.max(hits.get(h.rule) ?? 0, h.count));
    if (best.score >= stopAt) break;
  }
  if (hits.size === 0) return best;
  return { score: best.score, hits: [...hits].map(([rule, count]) => ({ rule, count })) };
}

/** The texts of a JSON value a model reads, in the walk's order: not the kind fields; keys that are words (WORDY_KEY). */
function textsOf(value: unknown): string[] {
  const out: string[] = [];
  walkJson(
    value,
    (text, field) => {
      if (field === null || !KIND_FIELDS.has(field) || !KIND_VALUE.test(text)) out.push(text);
      return undefined;
    },
    (key) => {
      if (WORDY_KEY.test(key)) out.push(key);
    },
  );
  return out;
}

/**
 * A key a model reads as words: with a space in it (`"Ignore all previous instructions…": true`, `"First Name"`), or six
 * characters of a script written without spaces. A name (`user_id`, `firstName`, `名前`) adds nothing to read, and read
 * as a line of its own it changed how the learned tier read a body (see KIND_FIELDS); each distinct key is read once.
 */
const WORDY_KEY = /\s\S|[^ -~\s]{6}/;

/**
 * One text's score as resumable work: a long text is read in overlapping windows; the text scores
 * what its most suspicious window scores, and its hits are every window's (the most of each rule).
 * A window that scores `stopAt` or more ends the reading: a guard's verdict cannot change past it,
 * and a body of injections repeated to the size limit (or a long text with one early) costs one window, not all.
 */
export function* scoreTextSteps(
  scorer: TextScorer,
  text: string,
  budget: UnwrapBudget = newUnwrapBudget(),
  stopAt = Number.POSITIVE_INFINITY,
): Work<InjectionScore> {
  const windows = windowsOf(text.length, WINDOW_CHARS, OVERLAP_CHARS);
  if (windows.length === 1) return scorer.scoreText(text, budget);
  let best = NO_INJECTION;
  const hits = new Map<string, number>();
  for (const w of windows) {
    // The windows share the body's budget for wrapped text: one base64 body decodes once, not once a window.
    const found = scorer.scoreText(text.slice(w.from, w.to), budget);
    if (found.score > best.score) best = found;
    for (const h of found.hits) hits.set(h.rule, Math.max(hits.get(h.rule) ?? 0, h.count));
    if (best.score >= stopAt) break;
    yield;
  }
  if (hits.size === 0) return best;
  const all: InjectionHit[] = [...hits].map(([rule, count]) => ({ rule, count }));
  return { score: best.score, hits: all };
}
