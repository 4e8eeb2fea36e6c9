import { useSyncExternalStore } from 'react';

let message: { text: string; at: number } | null = null;
const listeners = new Set<() => void>();

/** Says that a change was saved, in the shell's status line (read by screen readers too). */
export function announce(text: string): void {
  message = { text, at: Date.now() };
  for (const l of listeners) l();
}

/** The latest announcement. */
export function useAnnouncement(): { text: string; at: number } | null {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => message,
  );
}
