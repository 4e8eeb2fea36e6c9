// Passwords and keys a sentence or a form names in its own language: `das WLAN-Passwort fürs Büro ist Sommer2026!Kiel`,
// `contraseña: Tortuga_Azul_1987`, `API 키: …`. The assignment detector (secrets.ts) reads `name=value` with ASCII names;
// this one reads the words people write before a credential, in the languages the corpora hold.
import type { Match } from './match.js';
import { looksGenerated, looksLikePassword } from './secrets.js';
import { placeholderMarked } from './secret-rules/scan.js';

/** Words for a password, spaced scripts (matched as whole words). */
const PASSWORD_WORDS = [
  'password',
  'passphrase',
  'passwort',
  'kennwort',
  'mot de passe',
  'mdp',
  'contraseña',
  'senha',
  'wachtwoord',
  'hasło',
  'hasła',
  'пароль',
  'пароля',
  'parola',
  'şifre',
  'şifresi',
  'lösenord',
  'adgangskode',
  'passord',
  'salasana',
  'heslo',
  'jelszó',
  'mật khẩu',
  'kata sandi',
];

/** Words for a password in scripts written without spaces: letters run into them. */
const PASSWORD_WORDS_UNSPACED = ['パスワード', '密码', '密碼', '비밀번호', '口令', 'كلمة المرور', 'סיסמה'];

/** Words for an API key or access token, whose value must look generated (`API-Schlüssel`, `clé API`, `API 키`). */
const KEY_WORDS = [
  'api key',
  'api-key',
  'api-schlüssel',
  'zugangsschlüssel',
  'clé api',
  "clé d'api",
  'clave de api',
  'clave api',
  'chiave api',
  'chave de api',
  'chave api',
  'api-sleutel',
  'klucz api',
  'ключ api',
  'api-ключ',
  'api anahtarı',
  'jeton',
];
const KEY_WORDS_UNSPACED = ['api 키', 'api키', 'apiキー', 'api密钥', 'api 密钥', '密钥', 'アクセストークン', '액세스 토큰', '토큰'];

const escapeWord = (w: string) => w.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const alternation = (words: readonly string[]) =>
  [...words]
    .sort((a, b) => b.length - a.length)
    .map(escapeWord)
    .join('|');

// Built from the fixed lists above, never from input: one linear pass finds every label. Word boundaries are checked
// in code, not by a lookbehind (which cost the pass four times as much on prose); `i` without `u` still folds the
// case of Latin, Greek and Cyrillic letters.
const LABEL = new RegExp(
  `(${alternation(PASSWORD_WORDS)})|(${alternation(KEY_WORDS)})|(${alternation(PASSWORD_WORDS_UNSPACED)})|(${alternation(KEY_WORDS_UNSPACED)})`,
  'gi',
);

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Whether the label at `[s, e)` stands as a whole word (a spaced script's label inside a longer word is none). */
function wholeWord(text: string, s: number, e: number): boolean {
  return !WORD_CHAR.test(text[s - 1] ?? ' ') && !WORD_CHAR.test(text[e] ?? ' ');
}

/**
 * What stands between a label and its value: up to four short words (`fürs Büro`, `temporanea per il portale`), then a `:`
 * or `=` (not a URL's `https://`), or a verb that says "is" (`ist`, `è`, `es`, `est`, `lautet`, `jest`, `это`).
 * Read on a slice of at most 80 characters.
 */
const BETWEEN =
  /^(?:[ \t]+[\p{L}\p{M}'’-]{1,20}){0,4}?(?:[ \t]*[:=：](?!\/\/)[ \t]*|[ \t]+(?:is|was|ist|lautet|war|est|es|era|è|é|är|er|jest|это|—|–)[ \t]+(?:(?:le|la|el|il|o|a)[ \t]+)?)["'«“„]?/u;

/** A character of a credential in running text: anything up to whitespace, quotes, `,` `;` `<` and brackets that close. */
function valueChar(c: number): boolean {
  return (
    c > 32 &&
    c !== 34 &&
    c !== 39 &&
    c !== 44 &&
    c !== 59 &&
    c !== 60 &&
    c !== 41 &&
    c !== 93 &&
    c !== 125 &&
    c !== 0xbb &&
    c !== 0x201d &&
    c !== 0x3001 &&
    c !== 0x3002
  );
}

const SLICE = 80;
const MAX_VALUE = 128;

/** Passwords after a password word and keys after an API-key word, in the text's language; only the value is matched. */
export function findLabelledSecrets(text: string, out: Match[]): void {
  LABEL.lastIndex = 0;
  for (let hit = LABEL.exec(text); hit !== null; hit = LABEL.exec(text)) {
    const labelEnd = hit.index + hit[0].length;
    const spaced = hit[1] !== undefined || hit[2] !== undefined;
    if (spaced && !wholeWord(text, hit.index, labelEnd)) continue;
    const between = BETWEEN.exec(text.slice(labelEnd, labelEnd + SLICE));
    if (between === null) continue;
    const v = labelEnd + between[0].length;
    let ve = v;
    while (ve < text.length && ve - v < MAX_VALUE && valueChar(text.charCodeAt(ve))) ve++;
    // A sentence's full stop or colon after the value is not part of it.
    while (ve > v && (text.charCodeAt(ve - 1) === 46 || text.charCodeAt(ve - 1) === 58)) ve--;
    const value = text.slice(v, ve);
    const password = hit[1] !== undefined || hit[3] !== undefined;
    const found = password ? looksLikePassword(value) : looksGenerated(value, 3.5) && !placeholderMarked(text, v, ve);
    if (found) {
      out.push({ kind: password ? 'password' : 'api_key', start: v, end: ve });
      LABEL.lastIndex = ve;
    }
  }
}
