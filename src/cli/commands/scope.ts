/** Builds a role scope from comma-separated CLI flags. */
export function parseScope(types?: string, collections?: string): { resourceTypes?: string[]; collectionIds?: string[] } {
  const split = (v: string) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return {
    ...(types ? { resourceTypes: split(types) } : {}),
    ...(collections ? { collectionIds: split(collections) } : {}),
  };
}

/** All of standard input as text. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
