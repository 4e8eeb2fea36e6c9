// What names four dotted numbers a version or a section number rather than an address: the word or field before
// them, or the column of a table they stand in. ip.ts asks before it reports an IPv4 address.
import { isAlnum } from './match.js';

/** Words a field holding a version is named with (`appVersion`, `"version":`, `firmware_rev=`). */
const VERSION_WORDS = new Set([
  'version',
  'ver',
  'build',
  'release',
  'rev',
  'revision',
  'firmware',
  'versión',
  'versao',
  'versão',
  'версия',
  'versie',
  'versione',
  'wersja',
  'verze',
  'versio',
  'sürüm',
]);

/** Words after which four dotted numbers are a version or a section number, not an address. */
const NUMBERING_WORDS = new Set([
  ...VERSION_WORDS,
  'section',
  'chapter',
  'clause',
  'paragraph',
  'article',
  'figure',
  'fig',
  'table',
  'step',
  'rule',
  'oid',
  'abschnitt',
  'kapitel',
  'chapitre',
  'sección',
  'capítulo',
  'capitolo',
  'sezione',
  'artikel',
  'hoofdstuk',
  'раздел',
  'ziffer',
  'punkt',
  'requirement',
  'patch',
  'hotfix',
  'volume',
  'vol',
  'issue',
  'edition',
  'jahrgang',
  'band',
  'heft',
  'ausgabe',
  'tome',
  'tomo',
  'annata',
  'jaargang',
  'rocznik',
  'том',
  // clauses, sections and chapters of contracts and rules, in the inflected forms that stand before a number
  'apartado',
  'cláusula',
  'clausula',
  'clausola',
  'artículo',
  'articolo',
  'artigo',
  'párrafo',
  'parágrafo',
  'paragrafo',
  'seção',
  'secção',
  'sectie',
  'rozdział',
  'rozdziale',
  'rozdziałem',
  'rozdziału',
  'paragraf',
  'разделе',
  'пункт',
  'пункте',
  'статья',
  'статьи',
  'глава',
  'главе',
  'bölüm',
  'madde',
  // compounds written with a hyphen (`Build-Nummer`), compared without it
  'buildnummer',
  'buildnumber',
  'versionsnummer',
  'versionnumber',
  'versienummer',
  'releasenummer',
]);

/** Abbreviations that number what follows them, written with their full stop (`Art.-Nr. 12.40.33.7`, `art. 5.1.2.4`, `Fig. 1.2.3.4`). */
const NUMBERING_ABBREVIATIONS = new Set(['nr', 'no', 'nº', 'núm', 'art', 'fig', 'vol', 'abs', 'cap', 'para', 'ziff']);

/** How a version is named in scripts written without spaces, at the end of a compound (`固件版本`, firmware version). */
const CJK_VERSION_ENDINGS = ['版本', 'バージョン', '버전'];
/** "Version" in more languages and their inflections (`versioon`, `verzióra`, `έκδοση`, `לגרסה`, `версию`, `phiên bản`). */
const VERSION_INFLECTED =
  /^(?:versi(?:o|on|oon|ooni|ja|ju|ya|yon|yona|unea|une|e|one)|verzi(?:ó|óra|ja|ju|a|u|e)|versjon(?:en)?|versionen?|верси[яюиейі]|версі[яюї]|έκδοσ[ηεις]|εκδοσ[ηεις]|fersiwn|weergawe|sürüm(?:e|ü)?|bản|संस्करण|वर्जन|نسخه|גרסה|לגרסה|בגרסה|տարբերակ\p{L}*|ვერსი\p{L}*|เวอร์ชัน)$/u;

/** The parts of an identifier, lower-cased: `appVersion` → app, version; `sdk_version` → sdk, version. */
function lastPart(full: string): string {
  // A file's or tag's name runs into its version (`release-1.4.2.9`, `firmware_2.0.1.3`): the word before the mark.
  const name = full.replace(/[-_]+$/, '');
  const cut = Math.max(name.lastIndexOf('_'), name.lastIndexOf('-'));
  let part = name.slice(cut + 1);
  // camelCase: the last capital starts the last part (`ProductVersion`, `osVersion`), an all-capital word stays whole.
  for (let k = part.length - 1; k > 0; k--) {
    const c = part.charCodeAt(k);
    if (c >= 65 && c <= 90) {
      if (!/[A-Z]/.test(part[k - 1]!)) part = part.slice(k);
      break;
    }
  }
  return part.toLowerCase();
}

/**
 * Whether the word before `s` numbers things (`version 2.10.3.1`, `Section 3.2.1.4`, `§ 1.2.3.4`, `art. 5.1.2.4`), or a
 * field whose name ends in a version word holds it — `"version": "4.2.0.1"`, `appVersion: 8.2.1.0`, `sdk_version=1.0.3.2`,
 * `AssemblyVersion("1.0.0.0")`, a query's `?v=1.4.22.7` — past the quote, bracket, `:` or `=` between them (a `server:`
 * or `rule=` still holds an address), or a requirement's comparison (`setuptools==69.0.3.1`, `pkg>=2.0.1.3`).
 */
export function afterNumberingWord(text: string, s: number): boolean {
  if (text.charCodeAt(s - 1) === 61 && '=<>~!'.includes(text[s - 2] ?? ' ')) return true;
  let e = s;
  while (e > 0 && s - e < 4 && betweenNameAndValue(text.charCodeAt(e - 1))) e--;
  if (text.charCodeAt(e - 1) === 0xa7) return true;
  if (text.charCodeAt(e - 1) === 46 && text.charCodeAt(s - 1) === 32)
    return NUMBERING_ABBREVIATIONS.has(
      nameBefore(text, e - 1)
        .replace(/^-+/, '')
        .toLowerCase(),
    );
  const name = nameBefore(text, e);
  if (name === '') return false;
  const lower = name.toLowerCase();
  if (s - e === 1 && text.charCodeAt(e) === 32 && NUMBERING_WORDS.has(lower.replaceAll('-', ''))) return true;
  if (text.charCodeAt(s - 1) === 61 && lower === 'v') return true;
  return VERSION_WORDS.has(lastPart(name)) || VERSION_INFLECTED.test(lower) || CJK_VERSION_ENDINGS.some((w) => name.endsWith(w));
}

/** The word or field name that ends at `e` (32 characters at most), or ''. */
function nameBefore(text: string, e: number): string {
  let b = e;
  while (b > 0 && e - b < 32 && nameChar(text.charCodeAt(b - 1))) b--;
  return text.slice(b, e);
}

/** Space, quotes, `=`, `:`, `(` and `[`: what stands between a field's name and its value. */
function betweenNameAndValue(c: number): boolean {
  return c === 32 || c === 9 || c === 0xa0 || c === 34 || c === 39 || c === 61 || c === 58 || c === 40 || c === 91;
}

/** A character of a word or field name: letters and digits of any script, `_` and `-`. */
function nameChar(c: number): boolean {
  if (c < 128) return isAlnum(c) || c === 95 || c === 45;
  return /[\p{L}\p{M}\p{N}]/u.test(String.fromCharCode(c));
}

/** The delimiters of a table's cells: CSV's comma, semicolon and tab, and Markdown's pipe. */
const CELL_DELIMITERS = ',;\t|';

/**
 * Finds the heading of the column a table cell stands in — the first line of the block of lines around it (a blank line
 * starts a block) — and asks whether it names versions or section numbers (`app,version` over `billing,3.14.2.9`, `| Clause |`
 * over `| 9.1.2.1 |`). Positions are asked in increasing order, so the search for a block's start is linear over a text.
 */
export class HeaderCells {
  private blockStart = 0;
  private lineStart = 0;
  private lineScan = 0;
  private heading: { start: number; delimiter: string; numbers: boolean[] } | undefined;
  /** The first blank line not yet passed (-1: none left), found when first asked. */
  private nextBlank: number | undefined;

  private readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  /** Whether `[s, j)` is a whole cell of a table whose column heading numbers things. */
  numbersColumn(s: number, j: number): boolean {
    const text = this.text;
    let before = s;
    while (before > 0 && text.charCodeAt(before - 1) === 32) before--;
    let after = j;
    while (after < text.length && text.charCodeAt(after) === 32) after++;
    const prev = text[before - 1] ?? '\n';
    const next = text[after] ?? '\n';
    const delimiter = CELL_DELIMITERS.includes(prev) ? prev : CELL_DELIMITERS.includes(next) ? next : '';
    if (delimiter === '' || !(prev === delimiter || prev === '\n' || prev === '\r') || !(next === delimiter || next === '\n' || next === '\r')) return false;
    const lineStart = this.lineStartOf(before);
    if (before - lineStart > MAX_ROW) return false;
    const start = this.startOfBlock(lineStart);
    if (start === lineStart) return false;
    const heading = this.headingOf(start, delimiter);
    let column = 0;
    for (let k = lineStart; k < before; k++) if (text[k] === delimiter) column++;
    return heading[column] === true;
  }

  /** Where the line holding `pos` starts: read forward from the last position asked (a 1 MiB line of values stays linear). */
  private lineStartOf(pos: number): number {
    for (; this.lineScan < pos; this.lineScan++) if (this.text.charCodeAt(this.lineScan) === 10) this.lineStart = this.lineScan + 1;
    return this.lineStart;
  }

  /** Whether each column of the heading line at `start`, split at `delimiter`, names versions or sections: judged once per block. */
  private headingOf(start: number, delimiter: string): boolean[] {
    if (this.heading?.start !== start || this.heading.delimiter !== delimiter) {
      const lineEnd = this.text.indexOf('\n', start);
      const line = this.text.slice(start, lineEnd === -1 || lineEnd - start > MAX_ROW ? start + MAX_ROW : lineEnd);
      const numbers = line.split(delimiter).map((raw) => {
        const cell = raw.trim().replace(/^["']|["']$/g, '');
        return cell !== '' && (NUMBERING_WORDS.has(cell.toLowerCase()) || VERSION_WORDS.has(lastPart(cell)));
      });
      this.heading = { start, delimiter, numbers };
    }
    return this.heading.numbers;
  }

  /** Where the block of lines holding `lineStart` begins: after the last blank line before it, or the text's start. */
  private startOfBlock(lineStart: number): number {
    this.nextBlank ??= this.text.indexOf('\n\n');
    while (this.nextBlank !== -1 && this.nextBlank + 2 <= lineStart) {
      this.blockStart = this.nextBlank + 2;
      this.nextBlank = this.text.indexOf('\n\n', this.nextBlank + 1);
    }
    return this.blockStart;
  }
}

/** The longest table row read for a heading: a longer line is prose, not a table. */
const MAX_ROW = 512;
