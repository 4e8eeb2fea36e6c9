/**
 * Waits for the next fixed window of `windowMs` when fewer than `marginMs` are left in the current
 * one, so a test that fills a rate-limit window on the real clock does not straddle its edge.
 */
export async function awayFromWindowEdge(windowMs: number, marginMs: number): Promise<void> {
  const left = windowMs - (Date.now() % windowMs);
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
