/** One-click install links of an HTTP MCP server for the editors that register a URL scheme for it. */
export interface InstallLinks {
  /** Cursor: `cursor://anysphere.cursor-deeplink/mcp/install?name=…&config=<base64 of the server's mcp.json entry>`. */
  cursor: string;
  /** VS Code: `vscode:mcp/install?<URL-encoded JSON of the server, its name included>`. */
  vscode: string;
}

/** Base64 of the UTF-8 bytes of `text` (btoa alone takes Latin-1 only). */
function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * The install links of the server `name` at `url` (and `headers`, when it takes any): Cursor's carries
 * the entry it would write under `mcpServers.<name>`, VS Code's the entry of `servers` with its name.
 */
export function installLinks(name: string, url: string, headers: Record<string, string> = {}): InstallLinks {
  const withHeaders = Object.keys(headers).length > 0 ? { headers } : {};
  const cursorConfig = { url, ...withHeaders };
  const vscodeConfig = { name, type: 'http', url, ...withHeaders };
  return {
    cursor: `cursor://anysphere.cursor-deeplink/mcp/install?name=${encodeURIComponent(name)}&config=${encodeURIComponent(base64(JSON.stringify(cursorConfig)))}`,
    vscode: `vscode:mcp/install?${encodeURIComponent(JSON.stringify(vscodeConfig))}`,
  };
}
