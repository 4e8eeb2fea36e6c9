import { foldText, unwrap } from '../guardrails/injection/fold.js';
import { withSelectorsSpelled } from '../guardrails/injection/selector-bytes.js';
import { normalizedView } from '../guardrails/normalize-text.js';

/**
 * Where a text of a definition stands, which decides what it may say: a property name or an
 * enum/default/example value is a label, never a sentence to the model; prose (descriptions,
 * titles, annotations, `_meta`) explains the tool.
 */
export type TextPlace = 'prose' | 'key' | 'value';

/** One text of a definition as the model reads it (decoded, folded), and whether its raw form hid anything. */
export interface DefinitionText {
  place: TextPlace;
  /** Decoded (entities, percent-escapes, base64/hex runs, tag characters spelled out, ANSI escapes removed), NFKC, lower-cased. */
  read: string;
  /** Terminal control sequences or other C0/C1 controls: a terminal hides or rewrites text with them, a model reads it all. */
  controls: number;
}

/** Keywords of JSON Schema whose string values are values a model may copy into a call, not prose about the tool. */
const VALUE_KEYS = new Set(['enum', 'default', 'const', 'examples', 'example']);

/**
 * What a definition may hold in texts (descriptions, names, values, keys), over all of them. The largest
 * real tool lists hold a few KiB a tool; past this a definition is not read but held (definition-guard.ts),
 * so that what an upstream sends costs a bounded read: 205–234 ms on 64 KiB (27 Nov 2026), on the scan's own thread
 * (definition-scan-thread.ts), not the event loop's (a 16 KiB cap held imported REST operations' schemas).
 * The largest real tool definitions seen (AWS Labs', Neon's) hold 11–12 KiB.
 */
export const MAX_DEFINITION_CHARS = 65_536;
/** Texts read at most: a schema of 100,000 one-letter enum values costs as much to list as one huge text. */
const MAX_TEXTS = 65_536;

// ANSI/VT escapes: CSI (ESC [ … final), OSC (ESC ] … BEL or ST), and two-character escapes.
// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escapes are what it finds.
const ANSI = /\u001b(?:\[[0-?]{0,32}[ -/]{0,8}[@-~]|\][^\u0007\u001b]{0,4096}(?:\u0007|\u001b\\)?|[@-Z\\-_])|\u009b[0-?]{0,32}[ -/]{0,8}[@-~]/g;
// C0 controls but tab, line feed and carriage return; DEL; C1 controls.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
const TAG_RUN = /(?:\udb40[\udc00-\udc7f])+/g;
// Cyrillic and Greek letters drawn like Latin ones, in a word (up to spaces) that also holds Latin letters: `е-mаіl` is read as `e-mail`.
// The shared normalization folds letters inside a Latin word; a look-alike standing alone before a hyphen is left to this.
const CONFUSABLES: Readonly<Record<string, string>> = {
  а: 'a',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  у: 'y',
  х: 'x',
  і: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  һ: 'h',
  ӏ: 'l',
  А: 'A',
  В: 'B',
  Е: 'E',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: 'O',
  Р: 'P',
  С: 'C',
  Т: 'T',
  Х: 'X',
  І: 'I',
  ο: 'o',
  α: 'a',
  ε: 'e',
  ι: 'i',
  ν: 'v',
  ρ: 'p',
  τ: 't',
  κ: 'k',
  υ: 'u',
};
const CONFUSABLE = /[аеорсухіјѕԁԛԝһӏАВЕКМНОРСТХІοαειντκυρ]/gu;
const MIXED_SCRIPT_WORD = /[\u0370-\u03ff\u0400-\u052f]/u;
const MIXED_SCRIPT_WORDS = /\S*[\u0370-\u03ff\u0400-\u052f]\S*/gu;

/** A text read as a model reads it: escapes and controls out, entities and encodings resolved, hidden tag text spelled, lower-case. */
export function readText(raw: string): { read: string; controls: number } {
  let text = raw;
  let controls = 0;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for.
  if (/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(text)) {
    text = text.replace(ANSI, () => {
      controls++;
      return ' ';
    });
    text = text.replace(CONTROL, () => {
      controls++;
      return ' ';
    });
  }
  // Tag characters spell ASCII a model reads and a person does not see: read them as the letters they spell.
  if (text.includes('\udb40')) text = text.replace(TAG_RUN, (run) => ` ${[...run].map((c) => String.fromCharCode(c.codePointAt(0)! - 0xe0000)).join('')} `);
  // Variation selectors in a run spell bytes the same way (emoji smuggling): read as the text they spell.
  text = withSelectorsSpelled(text);
  // HTML comments are not shown by a renderer and are read by the model: their text counts as said.
  if (text.includes('<!--')) text = text.replace(/<!--|-->/g, ' ');
  let view = withoutExampleAddresses(normalizedView(text));
  if (MIXED_SCRIPT_WORD.test(view))
    view = view.replace(MIXED_SCRIPT_WORDS, (word) => (/[a-z]/i.test(word) ? word.replace(CONFUSABLE, (c) => CONFUSABLES[c] ?? c) : word));
  const decoded = view.length > 20 ? unwrap(view) : null;
  if (decoded !== null) view = `${view}\n${decoded}`;
  // Typographic apostrophes and quotes as plain ones: `don’t` is read as `don't`.
  return {
    read: foldText(view)
      .replace(/[\u2018\u2019\u02bc]/g, "'")
      .replace(/[\u201c\u201d]/g, '"'),
    controls,
  };
}

// An example clause (`e.g. forward mail from billing@vendor.com to accounts@…`) names addresses to show a
// format, not a destination: cut when it holds an address or a link, so it reads as no order to send there.
const EXAMPLE_CLAUSE = /(?:\be\.g\.|\bi\.e\.|\bfor example|\bfor instance|\bsuch as)(?:(?![.!?;](?:\s|$))[^\n]){0,300}/gi;

/** A text with its example clauses that name an address or a link cut out. */
export function withoutExampleAddresses(text: string): string {
  if (!/e\.g\.|i\.e\.|for example|for instance|such as/i.test(text)) return text;
  return text.replace(EXAMPLE_CLAUSE, (clause) => (/@|https?:\/\//.test(clause) ? ' ' : clause));
}

/** A property name as the words a model reads in it: `ignore_previous_instructions`, `readSshKeyFirst` → spaced words. */
export function wordsOf(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_\-.]+/g, ' ');
}

/**
 * Every text of a definition in the place it stands (descriptions and titles at any depth of the
 * input and output schemas, `properties` keys, `items`, `anyOf`/`oneOf`/`allOf`, `$defs`, enum,
 * const, default and example values, annotations, `_meta`, prompt arguments), read as the model
 * reads it. Bounded in characters and texts over the whole definition; iterative (a schema nested
 * thousands deep does not overflow the stack).
 */
export function definitionTexts(fields: Record<string, unknown>): DefinitionText[] {
  const out: DefinitionText[] = [];
  let left = MAX_DEFINITION_CHARS;
  const push = (raw: string, place: TextPlace) => {
    if (left <= 0 || out.length >= MAX_TEXTS || raw.length === 0) return;
    const cut = raw.length > left ? raw.slice(0, left) : raw;
    left -= cut.length + 1;
    out.push({ place, ...readText(cut) });
  };
  const stack: Array<{ node: unknown; place: TextPlace }> = [{ node: fields, place: 'prose' }];
  while (stack.length > 0 && left > 0 && out.length < MAX_TEXTS) {
    const { node, place } = stack.pop()!;
    if (typeof node === 'string') push(node, place);
    else if (Array.isArray(node)) for (let i = node.length - 1; i >= 0; i--) stack.push({ node: node[i], place });
    else if (node !== null && typeof node === 'object') {
      const entries = Object.entries(node as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, value] = entries[i]!;
        push(wordsOf(key), 'key');
        stack.push({ node: value, place: VALUE_KEYS.has(key) ? 'value' : place });
      }
    }
  }
  return out;
}
