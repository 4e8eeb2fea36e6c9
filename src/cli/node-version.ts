/**
 * The Node lines Gatehouse runs on: 22 from 22.19, 24, and 26 and later (as scripts/node-bootstrap.mjs
 * and package.json's engines say). Checked first by the `gatehouse` command: on an older Node the
 * first module that needs a newer API fails with a SyntaxError naming neither Gatehouse nor Node.
 */
export function supportedNode(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  return (major === 22 && minor >= 19) || major === 24 || major >= 26;
}

/** What the command says before it stops on an unsupported Node. */
export function unsupportedNodeMessage(version: string): string {
  return (
    `gatehouse: Node ${version} is not supported; Gatehouse runs on Node 22.19+, 24 or 26.\n` +
    'In a checkout, run it through npm (npx gatehouse, npm start): npm install brought the pinned Node LTS for that.\n' +
    'Elsewhere, install Node 24 (https://nodejs.org).\n'
  );
}
