// Quoted spans: what a text puts between quotation marks or in a code span on one line. A write-up
// about injection quotes its payloads ("instructions like «Ignore all previous instructions»",
// `Keywords like \`SYSTEM OVERRIDE\``); a planted instruction speaks in its own voice. The marks are
// read by their shape, in every script's convention, so no language's words are needed to see a quote.

// Fenced code blocks, and pairs on one line: straight and typographic double quotes (English “”, German „“, Polish „”),
// guillemets both ways, CJK corner brackets and book-title marks, full-width quotes, code spans,
// typographic single quotes, and straight single quotes that are no apostrophes (no letter outside).
const SPAN =
  /```[^`]{3,4000}```|"[^"\n]{3,400}"|“[^“”\n]{3,400}[”“]|„[^“”„\n]{3,400}[“”]|«[^«»\n]{3,400}»|»[^«»\n]{3,400}«|‹[^‹›\n]{3,400}›|「[^「」\n]{1,400}」|『[^『』\n]{1,400}』|《[^《》\n]{1,400}》|＂[^＂\n]{3,400}＂|`[^`\n]{3,400}`|‘[^‘’\n]{3,400}’|‚[^‚‘’\n]{3,400}[‘’]|(?<![\p{L}\p{N}])'[^'\n]{3,400}'(?![\p{L}\p{N}])/gu;

// JSON text: its strings are values in quotation marks, not quotes (`{"note": "Ignore …"}`).
const JSON_KEY = /"[^"\n]{1,60}"\s{0,3}:/;

/**
 * The text with every quoted span's inside blanked (spaces, so offsets and sentence ends stay
 * where they were); the text itself when it quotes nothing. JSON text is returned as it is: its
 * double quotes delimit strings. Without `code`, code spans and fenced blocks are kept: there they are what is run.
 */
export function blankQuotes(text: string, code = true): string {
  if (!/["“„«»‹「『《＂`‘‚']/.test(text)) return text;
  const json = JSON_KEY.test(text);
  SPAN.lastIndex = 0;
  let out = '';
  let from = 0;
  for (let m = SPAN.exec(text); m !== null; m = SPAN.exec(text)) {
    if ((json && m[0].startsWith('"')) || (!code && m[0].startsWith('`'))) continue;
    out += `${text.slice(from, m.index + 1)}${' '.repeat(m[0].length - 2)}`;
    from = m.index + m[0].length - 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

// Reported speech: an order told as what someone made a model do ("instructing it to ignore previous guidelines").
// The marks are the grammar of a third-person object before an infinitive or a subordinate verb, per language:
// English and French (a verb of asking or making, not in the imperative, with a third-person object), German (`zu`
// before the verb), Spanish and Italian (a gerund with a clitic: `ordenándole que`), Portuguese (`instruindo-o a`),
// Russian and Ukrainian (a verb of forcing with a third-person object), Chinese (instruct + it or the system).
// The clause that follows, to its end, is what was reported.
const REPORT_BEFORE_PARTS = [
  '(?<![\\p{L}])(?:instruct(?:s|ed|ing)|tell(?:s|ing)|told|ask(?:s|ed|ing)|order(?:s|ed|ing)|direct(?:s|ed|ing)|forc(?:es|ed|ing)|mak(?:es|ing)|made|trick(?:s|ed|ing)|caus(?:es|ed|ing)|convinc(?:es|ed|ing)|get(?:s|ting)|lead(?:s|ing)|led|command(?:s|ed|ing)|prompt(?:s|ed|ing)|urg(?:es|ed|ing)) (?:it|them|him|her|(?:the|an?) [a-z-]{2,20}(?: [a-z-]{2,20})?) (?:in)?to ',
  // What something can make a model do ("a poisoned description can make the agent call …"): a modal before, a bare infinitive after.
  '(?<![\\p{L}])(?:can|could|may|might|will|would|to) (?:make|let|get) (?:it|them|(?:the|an?) [a-z-]{2,20}(?: [a-z-]{2,20})?) (?:to )?',
  "(?<![\\p{L}])(?:lui|leur) [a-z']{2,20} (?:de |d')",
  '(?<![\\p{L}])(?:anweis|anweist|auffordert|veranlasst|zwingt|bringt|dazu)[^.!?;\\n]{0,60}?(?<![\\p{L}])zu ',
  '(?:ndole|ndoles|ndolo|ndola|ndogli|ndola) (?:que |a |di )?',
  '-(?:o|a|os|as|lo|la) a ',
  // A model named as the indirect object before an infinitive ("piden al asistente revelar", "demandent à l'assistant de"):
  // who was asked, told in the third person.
  "(?<![\\p{L}])(?:al|a la|a l'|au|ao|all'|alla|allo|aan de|aan het|dem|der) ?(?:asistente|assistant|assistente|assistenten|modelo|modele|modello|model|modell|chatbot|bot|agente|agent|agenten|llm|sistema|systeme|system) (?:de |d'|di |para |a |om te |zu )?",
  '(?<![\\p{L}])(?:заставля\\p{L}*|застави\\p{L}*|вынужда\\p{L}*|приказыва\\p{L}*|велит|веля|прося|просит|змушу\\p{L}*|змуси\\p{L}*|наказу\\p{L}*) (?:его|ее|её|их|модель|систему|бота|агента|ассистента|його|її|їх) ',
  '(?:指示|要求|命令|让|讓|诱导|誘導|迫使)(?:其|它|系统|系統|模型|机器人|機器人|代理|助手)',
];
const REPORT_BEFORE = new RegExp(REPORT_BEFORE_PARTS.join('|'), 'yu');
// Where a report may start: the same marks without their leading word-boundary lookbehind, which keeps a search from
// skipping ahead (it is tested at every character); REPORT_BEFORE is tried only there.
const REPORT_BEFORE_AT = new RegExp(REPORT_BEFORE_PARTS.map((part) => part.replace(/^\(\?<!\[\\p\{L\}\]\)/, '')).join('|'), 'gu');
// Languages that put the verb first and the report after it (Japanese `…よう指示`, Korean `…도록 지시`, Hindi `… के लिए निर्देश`):
// the clause before the mark, from the sentence's start or its last comma, was reported.
const REPORT_AFTER = /(?:よう(?:に)?(?:指示|命令|仕向け|要求)|(?:도록|라고) ?(?:지시|명령|요구|유도)|(?:के लिए|को) (?:निर्देश|कहता|कहती|मजबूर))/gu;
const CLAUSE_END = /[.!?;。！？\n]/u;
const CLAUSE_STARTS = new Set([...'.!?;。！？、，,\n'].map((c) => c.charCodeAt(0)));

/** The text with these ranges (in order of their starts, possibly overlapping) blanked, built in one pass: a copy per range would cost a window's length per match. */
function blankRanges(text: string, ranges: readonly [number, number][]): string {
  if (ranges.length === 0) return text;
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [from, to] of sorted) {
    if (to <= at) continue;
    const start = Math.max(from, at);
    out += text.slice(at, start) + ' '.repeat(to - start);
    at = to;
  }
  return out + text.slice(at);
}

/**
 * The text with every reported clause blanked (same length): what a sentence says a model was
 * made or asked to do, in the third person, up to the clause's end. The text itself when it reports nothing.
 */
export function blankReported(text: string): string {
  const ranges: [number, number][] = [];
  for (let at = 0; ; ) {
    REPORT_BEFORE_AT.lastIndex = at;
    const start = REPORT_BEFORE_AT.exec(text);
    if (start === null) break;
    REPORT_BEFORE.lastIndex = start.index;
    const m = REPORT_BEFORE.exec(text);
    if (m === null) {
      at = start.index + 1;
      continue;
    }
    at = REPORT_BEFORE.lastIndex;
    const from = m.index + m[0].length;
    const end = text.slice(from, from + 200).search(CLAUSE_END);
    ranges.push([from, end < 0 ? Math.min(text.length, from + 200) : from + end]);
  }
  REPORT_AFTER.lastIndex = 0;
  for (let m = REPORT_AFTER.exec(text); m !== null; m = REPORT_AFTER.exec(text)) {
    // Back to the clause's start, at most 200 characters (a character compared, not a slice tested by a regex each).
    const floor = Math.max(0, m.index - 200);
    let start = floor;
    for (let i = m.index - 1; i >= floor; i--)
      if (CLAUSE_STARTS.has(text.charCodeAt(i))) {
        start = i + 1;
        break;
      }
    ranges.push([start, m.index]);
  }
  return blankRanges(text, ranges);
}
