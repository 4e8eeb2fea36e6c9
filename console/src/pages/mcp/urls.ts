/** The proxy listener's URL, which the gateway writes into the page (it may differ from the console's). */
export function proxyBase(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="gatehouse-proxy-url"]')?.content || location.origin;
}

/** Where a virtual MCP server answers. */
export function virtualUrl(slug: string): string {
  return `${proxyBase()}/mcp/v/${slug}`;
}
