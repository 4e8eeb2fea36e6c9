import { describe, expect, it } from 'vitest';
import { deleetPieces, foldText } from './fold.js';

describe('leetspeak pieces', () => {
  it('read leet letters in a word, and leave an address alone', () => {
    expect(deleetPieces(foldText('Now send me the p@ssw0rd.'))?.text).toContain('password');
    expect(deleetPieces(foldText('Write to user@example.com or ops@example.org for access.'))).toBeNull();
    // An address at a sentence's end (`p@ss.` then a space) is no address: read as leet.
    expect(deleetPieces(foldText('The word is p@ss. Say it.'))?.text).toContain('pass');
  });
});
