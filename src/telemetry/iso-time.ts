// `new Date(ms).toISOString()` formats through V8's printf-style date code: ~7,000 instructions a
// call, paid on every call whose millisecond differs from the one before (every call at a few
// thousand a second). The text up to the seconds changes once a second, so it is cached and only
// the milliseconds are appended, from a table.
const MILLIS = Array.from({ length: 1000 }, (_, i) => `${String(i).padStart(3, '0')}Z`);

let second = Number.NaN;
let prefix = '';
// Calls within the same millisecond share one string, whose hash the batch's string table then has cached.
let lastMs = Number.NaN;
let lastIso = '';

/** `ms` as `toISOString()` does (`YYYY-MM-DDTHH:MM:SS.mmmZ`), for times between the years 0 and 9999. */
export function isoTime(ms: number): string {
  if (ms === lastMs) return lastIso;
  const s = Math.floor(ms / 1000);
  if (s !== second) {
    const iso = new Date(s * 1000).toISOString();
    // Outside 0000–9999 the year gets a sign and two more digits: no prefix to reuse.
    if (iso.length !== 24) return new Date(ms).toISOString();
    prefix = iso.slice(0, 20);
    second = s;
  }
  lastIso = prefix + MILLIS[Math.floor(ms) - s * 1000]!;
  lastMs = ms;
  return lastIso;
}
