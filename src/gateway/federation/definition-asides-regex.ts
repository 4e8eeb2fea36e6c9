/** The pieces the definition asides' patterns are written with: a sentence's letters, word edges in any script. */
export const re = (source: string) => new RegExp(source, 'u');
/** Any character but a sentence's end. */
export const S = '[^.!?;\\n]';
/** Not followed by a letter (a word's end in any script). */
export const NL = '(?![\\p{L}])';
/** Not preceded by a letter (a word's start in any script). */
export const PL = '(?<![\\p{L}])';
/** One clause, where a dot inside a word (a file name, `Key-6.dat`) does not end it. */
export const SW = '(?:[^.!?;\\n]|\\.(?=\\S))';
/** An address the text spells: a URL, or a host under a common top-level domain. */
export const ADDRESS = /https?:\/\/|(?<![\p{L}\d-])[a-z0-9-]{2,40}\.(?:com|net|io|org|co|ai|app|de|fr|es|it|br|jp|cn|kr|eu|cc|info|biz)(?:[./:]|(?![\p{L}]))/u;
/**
 * A sentence with its marks stripped, so that scripts whose vowel signs are marks (Devanagari) and letters that
 * decompose (uk `й`) are matched the same way whatever the caller folded.
 */
export const bare = (s: string) => s.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '');
