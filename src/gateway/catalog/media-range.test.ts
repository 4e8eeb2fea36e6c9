import { describe, expect, it } from 'vitest';
import { chooseContentType } from './media-range.js';

describe('the media type a body goes as', () => {
  it('a range: the caller’s type when it lies in it, else JSON for JSON values and text for strings where the range admits them', () => {
    expect(chooseContentType('*/*', 'application/xml', '<a/>')).toEqual({ type: 'application/xml' });
    expect(chooseContentType('*/*', undefined, { a: 1 })).toEqual({ type: 'application/json' });
    expect(chooseContentType('*/*', undefined, 'hi')).toEqual({ type: 'text/plain' });
    expect(chooseContentType('text/*', 'application/json', '{}')).toMatchObject({ issues: [{ path: 'contentType' }] });
    expect(chooseContentType('*/*', 'text/*', 'x')).toMatchObject({ issues: [{ message: expect.stringMatching(/concrete/) }] });
    expect(chooseContentType('image/*', undefined, 'iVBORw==')).toMatchObject({ issues: [{ message: expect.stringMatching(/is required/) }] });
  });

  it('several declared types: the default unless the caller names another of them', () => {
    const others = ['application/json', 'application/xml', 'text/plain; charset=utf-8'];
    expect(chooseContentType('application/json', undefined, { a: 1 }, others)).toEqual({ type: 'application/json' });
    expect(chooseContentType('application/json', 'application/xml', '<a/>', others)).toEqual({ type: 'application/xml' });
    // The declared spelling (its charset) is kept when the caller names the bare type.
    expect(chooseContentType('application/json', 'text/plain', 'hi', others)).toEqual({ type: 'text/plain; charset=utf-8' });
    expect(chooseContentType('application/json', 'application/yaml', 'a: 1', others)).toEqual({
      issues: [{ path: 'contentType', message: 'must be one of application/json, application/xml, text/plain, the types this endpoint takes' }],
    });
    // A range among them admits what lies in it.
    expect(chooseContentType('application/json', 'image/png', 'iVBORw==', ['application/json', 'image/*'])).toEqual({ type: 'image/png' });
  });

  it('one declared type: only that one', () => {
    expect(chooseContentType('application/xml', 'application/xml', '<a/>')).toEqual({ type: 'application/xml' });
    expect(chooseContentType('application/xml', 'application/json', '{}')).toMatchObject({ issues: [{ message: expect.stringMatching(/only type/) }] });
  });
});
