import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TaskIds } from './task-ids.js';

describe('TaskIds', () => {
  const key = randomBytes(32);
  const ids = new TaskIds(key);
  const prefix = ids.bound('shop', 'user:ada', 'up1~sampling', 'get_order', 'task-7');

  it('reads back the tool a bound prefix names, on any node holding the same key', () => {
    expect(ids.read('shop', 'user:ada', prefix, 'task-7')).toEqual({ place: 'up1~sampling', tool: 'get_order' });
    expect(new TaskIds(key).read('shop', 'user:ada', prefix, 'task-7')).toEqual({ place: 'up1~sampling', tool: 'get_order' });
    expect(prefix).not.toContain('.');
  });

  it('refuses a binding moved to another tool, task, caller, server or place, or made under another key', () => {
    const [place, , mac] = prefix.split('!');
    const other = `${place}!${Buffer.from('delete_order').toString('base64url')}!${mac}`;
    expect(ids.read('shop', 'user:ada', other, 'task-7')).toBeNull();
    expect(ids.read('shop', 'user:ada', prefix, 'task-8')).toBeNull();
    expect(ids.read('shop', 'user:bob', prefix, 'task-7')).toBeNull();
    expect(ids.read('other', 'user:ada', prefix, 'task-7')).toBeNull();
    expect(ids.read('shop', 'user:ada', prefix.replace('up1~sampling', 'up1'), 'task-7')).toBeNull();
    expect(new TaskIds(randomBytes(32)).read('shop', 'user:ada', prefix, 'task-7')).toBeNull();
    expect(ids.read('shop', 'user:ada', `${prefix}!x`, 'task-7')).toBeNull();
  });

  it('reads an unbound prefix as its place alone, and lists a task this node bound by its bound prefix', () => {
    expect(ids.read('shop', 'user:ada', 'up1', 'task-9')).toEqual({ place: 'up1', tool: null });
    expect(ids.listed('shop', 'user:ada', 'up1~sampling', 'task-7')).toBe(prefix);
    expect(ids.listed('shop', 'user:ada', 'up1~sampling', 'task-9')).toBe('up1~sampling');
    expect(ids.listed('shop', 'user:bob', 'up1~sampling', 'task-7')).toBe('up1~sampling');
  });
});

describe('TaskIds across a cluster', () => {
  /** The nodes' channel as the pool's fanout is: what one publishes, every subscriber hears. */
  function channel() {
    const listeners = new Set<(message: unknown) => void>();
    return {
      publish: (message: unknown) => {
        for (const l of listeners) l(structuredClone(message));
      },
      subscribe: (listener: (message: unknown) => void) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
  }

  it('lists on every node a task by the id its call answered on one; a binding whose MAC does not verify is not heard', () => {
    const key = randomBytes(32);
    const fanout = channel();
    const a = new TaskIds(key, fanout);
    const b = new TaskIds(key, fanout);
    const prefix = a.bound('shop', 'user:ada', 'up1', 'get_order', 'task-1');
    expect(b.listed('shop', 'user:ada', 'up1', 'task-1')).toBe(prefix);
    const [place, , mac] = prefix.split('!');
    fanout.publish({
      taskBinding: { slug: 'shop', subject: 'user:ada', prefix: `${place}!${Buffer.from('delete_order').toString('base64url')}!${mac}`, taskId: 'task-2' },
    });
    expect(b.listed('shop', 'user:ada', 'up1', 'task-2')).toBe('up1');
    // A node under another key hears the binding and cannot verify it.
    const stranger = new TaskIds(randomBytes(32), fanout);
    a.bound('shop', 'user:ada', 'up1', 'get_order', 'task-3');
    expect(stranger.listed('shop', 'user:ada', 'up1', 'task-3')).toBe('up1');
  });
});
