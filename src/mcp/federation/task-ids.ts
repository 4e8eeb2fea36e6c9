import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NotificationFanout } from '../../gateway/federation/index.js';
import { isPlain } from '../kit/protocol.js';

/** A task id's prefix read: where the task lives (see TaskRelay), and the tool it was created for (null when the id does not say). */
export interface TaskPlace {
  place: string;
  tool: string | null;
}

const MAC_BYTES = 16;
/** Bindings a node remembers, to list its tasks by the ids their calls answered (the oldest forgotten first). */
const REMEMBERED = 10_000;

/**
 * The part of a caller's task id that says which tool the task runs, so that its result, fetched
 * later (`tasks/result`, perhaps on another node), passes that tool's response workflow as a direct
 * answer would. It is a MAC over the virtual server, the caller, where the task lives, the tool and
 * the upstream's task id, under a key every node derives alike: a caller can neither move its task
 * to a tool with weaker guardrails nor put another task under this one's tool.
 */
export class TaskIds {
  readonly #key: Buffer;
  readonly #known = new Map<string, string>();

  /**
   * `channel`: where the nodes of a cluster tell each other the bindings they make (beside their tasks'
   * questions), so that `tasks/list` on any node lists a task by the id its call answered.
   */
  constructor(
    key: Buffer = randomBytes(32),
    private readonly channel?: NotificationFanout,
  ) {
    // A key of its own for this use, whatever the length of the one given.
    this.#key = createHmac('sha256', key).update('gatehouse virtual mcp task').digest();
    channel?.subscribe((message) => this.#heard(message));
  }

  /** A binding another node made: remembered once its MAC verifies here (a message on the channel cannot bind a task to a tool). */
  #heard(message: unknown): void {
    const b = isPlain(message) && isPlain(message.taskBinding) ? message.taskBinding : null;
    if (!b || typeof b.slug !== 'string' || typeof b.subject !== 'string' || typeof b.prefix !== 'string' || typeof b.taskId !== 'string') return;
    const read = this.read(b.slug, b.subject, b.prefix, b.taskId);
    if (read && read.tool !== null) this.#remember(`${b.slug}\n${b.subject}\n${read.place}\n${b.taskId}`, b.prefix);
  }

  #remember(key: string, prefix: string): void {
    if (this.#known.size >= REMEMBERED) this.#known.delete(this.#known.keys().next().value as string);
    this.#known.set(key, prefix);
  }

  #mac(slug: string, subject: string, place: string, tool: string, taskId: string): Buffer {
    return createHmac('sha256', this.#key).update(`${slug}\n${subject}\n${place}\n${tool}\n${taskId}`).digest().subarray(0, MAC_BYTES);
  }

  /** The prefix of the caller's id for a task created for `tool`: `<place>!<tool, base64url>!<MAC>` (no `.`, which ends a prefix). */
  bound(slug: string, subject: string, place: string, tool: string, taskId: string): string {
    const prefix = `${place}!${Buffer.from(tool, 'utf8').toString('base64url')}!${this.#mac(slug, subject, place, tool, taskId).toString('base64url')}`;
    this.#remember(`${slug}\n${subject}\n${place}\n${taskId}`, prefix);
    this.channel?.publish({ taskBinding: { slug, subject, prefix, taskId } });
    return prefix;
  }

  /**
   * The prefix of a task `tasks/list` lists: bound as its call answered when this node made the
   * binding or heard of it, else its place alone (its result then passes the workflow its upstream's tools share, see taskResult).
   */
  listed(slug: string, subject: string, place: string, taskId: string): string {
    return this.#known.get(`${slug}\n${subject}\n${place}\n${taskId}`) ?? place;
  }

  /**
   * What a prefix the caller sent says: an unbound one (a task listed by `tasks/list`) names only
   * its place; a bound one its tool too. Null for a binding that does not verify: forged, altered,
   * or another caller's, server's or task's.
   */
  read(slug: string, subject: string, prefix: string, taskId: string): TaskPlace | null {
    const parts = prefix.split('!');
    const place = parts[0] ?? '';
    if (parts.length === 1) return { place, tool: null };
    if (parts.length !== 3) return null;
    const tool = Buffer.from(parts[1] ?? '', 'base64url').toString('utf8');
    const given = Buffer.from(parts[2] ?? '', 'base64url');
    const expected = this.#mac(slug, subject, place, tool, taskId);
    return given.length === expected.length && timingSafeEqual(given, expected) ? { place, tool } : null;
  }
}
