import { useSyncExternalStore } from 'react';

let message: { text: string; at: number } | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<() => void>();
// Long enough to read, short enough not to be mistaken for news on the next page.
const SHOWN_MS = 6_000;

function set(next: typeof message): void {
  message = next;
  for (const l of listeners) l();
}

/** Says that a change was saved, in the shell's status line (read by screen readers too), for a few seconds. */
export function announce(text: string): void {
  clearTimeout(timer);
  set({ text, at: Date.now() });
  timer = setTimeout(() => set(null), SHOWN_MS);
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
