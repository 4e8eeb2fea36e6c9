import type { ArgumentIssue } from './call-parts.js';

// A body declared as a media range (`*/*`, `text/*`) says what may be sent, not what is: the caller
// names the concrete type, which must lie in the range, so no upstream ever sees `Content-Type: */*`.
// A body declared in several media types (JSON and XML) goes as the default one unless the caller
// names another of them.

const TOKEN = "[A-Za-z0-9!#$&^_.+'-]+";
const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(\\s*;\\s*${TOKEN}=(${TOKEN}|"[^"\\\\\\u0000-\\u001f\\u007f]*"))*$`);

/** The media type without parameters, lower-cased. */
function base(type: string): string {
  return type.split(';')[0]!.trim().toLowerCase();
}

/** Whether a declared media type is a range (holds a `*`). */
export function isMediaRange(type: string | undefined): boolean {
  return type !== undefined && base(type).includes('*');
}

/** Whether a concrete media type lies in a range (`*` stands for any run of token characters within its part). */
function inRange(type: string, range: string): boolean {
  const pattern = base(range)
    .split('*')
    .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]*');
  return new RegExp(`^${pattern}$`).test(base(type));
}

/** A range's examples, for messages: the type named, or a few common ones for `*`. */
function examples(range: string): string {
  const b = base(range);
  if (b === '*/*') return 'e.g. application/json, application/xml, text/plain or application/octet-stream';
  return `e.g. ${b.replace('*', b.startsWith('text/') ? 'plain' : b.startsWith('image/') ? 'png' : 'json')}`;
}

/**
 * The concrete media type a body goes as: the caller's `contentType` when it lies in the declared
 * type (or range) or in one of the `others` the description also declares; for a range without
 * one, application/json for a JSON value that is not a string and text/plain (or
 * application/octet-stream, as base64) for a string, when the range admits it.
 */
export function chooseContentType(
  declared: string,
  chosen: unknown,
  value: unknown,
  others: readonly string[] = [],
): { type: string } | { issues: ArgumentIssue[] } {
  const issue = (message: string) => ({ issues: [{ path: 'contentType', message }] });
  if (chosen !== undefined) {
    if (typeof chosen !== 'string' || chosen.length > 200 || !MEDIA_TYPE.test(chosen.trim()) || chosen.includes('*'))
      return issue('must be a concrete media type such as application/json (no wildcards)');
    const all = [declared, ...others.filter((t) => base(t) !== base(declared))];
    if (all.length > 1) {
      // The declared type that names it exactly wins over a range that admits it (its parameters, e.g. a charset, kept).
      const exact = all.find((t) => base(t) === base(chosen));
      if (exact !== undefined) return { type: chosen.includes(';') ? chosen.trim() : exact };
      if (all.some((t) => isMediaRange(t) && inRange(chosen, t))) return { type: chosen.trim() };
      return issue(`must be one of ${all.map(base).join(', ')}, the types this endpoint takes`);
    }
    if (!isMediaRange(declared)) {
      if (base(chosen) !== base(declared)) return issue(`must be ${base(declared)}, the only type this endpoint takes`);
      return { type: chosen.trim() };
    }
    if (!inRange(chosen, declared)) return issue(`must lie in ${base(declared)}, the range this endpoint takes (${examples(declared)})`);
    return { type: chosen.trim() };
  }
  if (!isMediaRange(declared)) return { type: declared };
  const candidates = typeof value === 'string' ? ['text/plain', 'application/octet-stream'] : ['application/json'];
  const fit = candidates.find((t) => inRange(t, declared));
  if (fit) return { type: fit };
  return issue(`is required: this endpoint takes any of ${base(declared)}; name the one you send (${examples(declared)})`);
}
