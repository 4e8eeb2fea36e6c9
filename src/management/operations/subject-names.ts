import type { Kysely } from 'kysely';
import { namesOf, subjectIdOf } from '../../store/repositories/approvals.js';
import type { DB } from '../../store/schema.js';

/** The display name of a subject (`user:<id>`, `service:<id>`), or null when it has none. */
export type NameOf = (subject: string | null | undefined) => string | null;

/**
 * Display names of the people (username) and service accounts (name) among these subjects, as
 * reads of calls show who made them: one lookup for a page, not one per row.
 */
export async function subjectNames(db: Kysely<DB>, subjects: Iterable<string | null | undefined>): Promise<NameOf> {
  const ids = [...subjects].flatMap((s) => (s ? [subjectIdOf(s)] : []));
  const names = await namesOf(db, ids);
  return (subject) => (subject ? (names.get(subjectIdOf(subject)) ?? null) : null);
}
