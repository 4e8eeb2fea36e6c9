import type { Kysely } from 'kysely';
import type { ChangeFeed, ConfigChange } from './change-feed.js';
import type { DB, ResourceTable } from './schema.js';

/** A `resources` row exactly as a write left it (what a snapshot pass would read back), or null once deleted. */
export type WrittenRow = Pick<ResourceTable, 'type' | 'id' | 'data' | 'version' | 'created_at' | 'updated_at'>;

/** What one committed write changed, as the node that made it knows it: every resource row it wrote and the types it audited. */
export interface CommittedWrites {
  /** By `type\nid`, the last state each row was written to (null: deleted). */
  readonly rows: ReadonlyMap<string, WrittenRow | null>;
  /** The resource types of the change's audit entries (a composite's steps included). */
  readonly types: ReadonlySet<string>;
}

/** The resource rows one transaction writes, collected as its repositories write them. */
export class WriteJournal {
  readonly rows = new Map<string, WrittenRow | null>();
  readonly #unjournaledAtOpen = unjournaled;

  /** Whether every resource write in this process while the journal was open went through a journal (none was missed). */
  complete(): boolean {
    return unjournaled === this.#unjournaledAtOpen;
  }
}

const journals = new WeakMap<Kysely<DB>, WriteJournal>();
// Resource writes made outside any journal (a declarative apply, a seed): a journal open meanwhile
// cannot tell they were not its own transaction's, so it is not trusted.
let unjournaled = 0;

/** Starts collecting the resource writes made through `trx` (the executor's write transaction). */
export function openWriteJournal(trx: Kysely<DB>): WriteJournal {
  const journal = new WriteJournal();
  journals.set(trx, journal);
  return journal;
}

/** Records a resource row a repository wrote through `db` (the row as stored, or null when deleted). */
export function noteResourceWrite(db: Kysely<DB>, type: string, id: string, row: WrittenRow | null): void {
  const journal = journals.get(db);
  if (journal) journal.rows.set(`${type}\n${id}`, row);
  else unjournaled++;
}

// Kept beside the change rather than in it: a change is serialized to other nodes, its rows are not.
const committed = new WeakMap<ConfigChange, CommittedWrites>();

/** Publishes a committed change carrying what it wrote, for this node's own subscribers (the snapshot holder); `sent`: the other nodes were told at commit. */
export function publishWithWrites(feed: ChangeFeed, change: ConfigChange, writes: CommittedWrites | null, sent: boolean): void {
  if (writes) committed.set(change, writes);
  feed.publish(change, sent);
}

/** What a change made on this node wrote, when known in full (absent: a change heard from elsewhere, or one to read back). */
export function committedWritesOf(change: ConfigChange): CommittedWrites | undefined {
  return committed.get(change);
}
