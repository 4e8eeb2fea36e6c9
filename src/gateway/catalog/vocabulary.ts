/**
 * The words people and API descriptions use for the same thing: verbs of the five things an API
 * does (read one, list many, create, change, delete) and the few nouns that APIs name differently
 * ("ticket" for "issue", "member" for "user"). A query word also finds its group's other words, at
 * a lower weight than itself, so "edit a message" finds `chat.update` while an operation that says
 * "edit" still ranks first. Words are given as stems (see stem() in search.ts). The table stays
 * small on purpose: each group is a set of words interchangeable in API vocabulary, not a thesaurus.
 */
const GROUPS: readonly (readonly string[])[] = [
  // Read one.
  ['get', 'fetch', 'retrieve', 'show', 'view', 'read', 'look', 'lookup', 'see', 'display', 'describe', 'inspect'],
  // Many: list them, or search among them.
  ['list', 'browse', 'enumerate'],
  ['search', 'find', 'lookup'],
  // Create.
  ['create', 'add', 'new', 'make', 'open', 'post', 'start', 'submit', 'insert', 'register'],
  // Change.
  ['update', 'edit', 'change', 'modify', 'rename', 'set', 'patch', 'alter', 'replace'],
  // Delete.
  ['delete', 'remove', 'destroy', 'drop', 'erase', 'purge', 'cancel', 'revoke'],
  ['send', 'post', 'deliver', 'publish'],
  ['issue', 'ticket', 'bug'],
  ['user', 'member', 'person', 'people'],
  ['file', 'document', 'attachment'],
  ['message', 'text', 'sms', 'chat'],
  ['email', 'mail'],
  ['comment', 'note', 'reply'],
  ['repo', 'repository'],
  ['run', 'trigger', 'execute', 'dispatch', 'launch'],
  ['stop', 'cancel', 'abort', 'halt', 'terminate'],
  ['restart', 'rerun', 'retry'],
  ['latest', 'recent', 'newest', 'last'],
  // Arithmetic: "add two numbers" asks for their sum.
  ['add', 'sum', 'plus'],
  // The caller itself ("who am I": see WHO_AM_I in search.ts).
  ['whoami', 'me', 'myself', 'current', 'authenticated', 'identity'],
];

const byWord = new Map<string, string[]>();
for (const group of GROUPS) {
  for (const w of group) {
    const others = byWord.get(w) ?? [];
    for (const o of group) if (o !== w && !others.includes(o)) others.push(o);
    byWord.set(w, others);
  }
}

/** A word derived from a query word counts for this much of it ("watching" for "watchers"). */
const DERIVED_WEIGHT = 0.8;
/** A synonym counts for this much of the query word; for more when the word itself is in no document. */
const SYNONYM_WEIGHT = 0.5;
const STAND_IN_WEIGHT = 0.8;

/**
 * The roots of a word ending in -ing or -ed ("watching" → "watch", "starred" → "star", "created" →
 * "creat", "create"), the word itself first. Plural endings are gone already (stem() in search.ts).
 */
function rootsOf(word: string): string[] {
  const out = [word];
  const m = /^(.{3,}?)(ing|ed)$/.exec(word);
  if (m && !word.endsWith('eed')) {
    const r = m[1]!;
    out.push(r, `${r}e`);
    // A doubled final consonant ("starred", "setting") is the spelling's, not the root's.
    if (/([b-df-hj-np-tv-z])\1$/.test(r) && !/(ll|ss|zz)$/.test(r)) out.push(r.slice(0, -1));
  }
  return out;
}

/** Nouns made from a verb root as APIs write them: "watch" → "watcher", "react" → "reaction", "attach" → "attachment". */
function derivedOf(root: string): string[] {
  const base = root.endsWith('e') ? root.slice(0, -1) : root;
  const out = [`${root}er`, `${root}ion`, `${root}ment`, `${root}ing`, `${root}ed`, `${base}er`, `${base}ion`, `${base}ing`, `${base}ed`];
  if (/[b-df-hj-np-tv-z]$/.test(root) && /[aeiou][b-df-hj-np-tv-z]$/.test(root))
    out.push(`${root}${root.at(-1)}ed`, `${root}${root.at(-1)}ing`, `${root}${root.at(-1)}er`);
  return out;
}

/**
 * What a query word (a stem) stands for in an index holding the terms `has` admits: itself (weight
 * 1), its -ing/-ed roots and the nouns made from them (DERIVED_WEIGHT), and its synonyms
 * (SYNONYM_WEIGHT; STAND_IN_WEIGHT when neither the word nor its roots are in the index, so they
 * stand in for it). Each term once, at its highest weight.
 */
export function expandWord(word: string, has: (term: string) => boolean): Map<string, number> {
  const out = new Map<string, number>([[word, 1]]);
  const put = (term: string, weight: number) => {
    if (has(term) && (out.get(term) ?? 0) < weight) out.set(term, weight);
  };
  const roots = rootsOf(word);
  for (const r of roots) {
    put(r, DERIVED_WEIGHT);
    for (const d of derivedOf(r)) put(d, DERIVED_WEIGHT);
  }
  const present = roots.some(has);
  for (const r of roots) for (const s of byWord.get(r) ?? []) put(s, present ? SYNONYM_WEIGHT : STAND_IN_WEIGHT);
  return out;
}

/** Whether two query words (stems) say the same thing: "create a new issue" asks for one thing, not two. */
export function sameMeaning(a: string, b: string): boolean {
  return a === b || (byWord.get(a)?.includes(b) ?? false);
}

/** The HTTP methods a query word (a stem) names, through its roots ("creating" names POST as "create" does). */
export function methodsOf(word: string): readonly string[] {
  for (const r of rootsOf(word)) {
    const m = VERBS[r];
    if (m) return m;
  }
  return [];
}

/** Words that name an HTTP method, so "create an issue" prefers POST and "delete a branch" DELETE. */
const VERBS: Readonly<Record<string, readonly string[]>> = {
  create: ['POST'],
  add: ['POST', 'PUT'],
  new: ['POST'],
  make: ['POST'],
  post: ['POST'],
  submit: ['POST'],
  send: ['POST'],
  open: ['POST'],
  start: ['POST'],
  register: ['POST'],
  publish: ['POST'],
  upload: ['POST', 'PUT'],
  invite: ['POST'],
  leave: ['POST'],
  attach: ['POST', 'PUT'],
  trigger: ['POST'],
  run: ['POST'],
  list: ['GET'],
  get: ['GET'],
  fetch: ['GET'],
  show: ['GET'],
  read: ['GET'],
  find: ['GET'],
  look: ['GET'],
  lookup: ['GET'],
  search: ['GET'],
  retrieve: ['GET'],
  view: ['GET'],
  download: ['GET'],
  update: ['PATCH', 'PUT'],
  edit: ['PATCH', 'PUT'],
  modify: ['PATCH', 'PUT'],
  change: ['PATCH', 'PUT'],
  rename: ['PATCH', 'PUT'],
  set: ['PUT', 'PATCH'],
  replace: ['PUT'],
  close: ['PATCH', 'PUT', 'POST'],
  assign: ['PUT', 'POST', 'PATCH'],
  move: ['PUT', 'PATCH', 'POST'],
  delete: ['DELETE'],
  remove: ['DELETE'],
  destroy: ['DELETE'],
  drop: ['DELETE'],
  cancel: ['DELETE', 'POST'],
};
