/** Whether a command line (after `gatehouse`) runs `serve`: its first word, after the global `--data-dir <dir>`. */
export function servesGateway(args: readonly string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--data-dir') i++;
    else if (!args[i]?.startsWith('-')) return args[i] === 'serve';
  }
  return false;
}
