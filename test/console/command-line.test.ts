import { describe, expect, it } from 'vitest';
import { splitCommandLine } from '../../console/src/pages/mcp/command-line.js';

// The stdio form's "Split at spaces": a command line pasted whole becomes the argument list a shell
// would have run, quoting kept, nothing expanded (the gateway never runs a shell).
describe('splitCommandLine', () => {
  it('splits at white space, as an MCP server README writes the line', () => {
    expect(splitCommandLine('npx -y  @modelcontextprotocol/server-filesystem\t/srv/shared')).toEqual([
      'npx',
      '-y',
      '@modelcontextprotocol/server-filesystem',
      '/srv/shared',
    ]);
  });

  it('keeps quoted words whole, empty ones included, and expands nothing', () => {
    expect(splitCommandLine(`uvx server --root "/srv/My Files" --name 'it''s' --empty "" $HOME`)).toEqual([
      'uvx',
      'server',
      '--root',
      '/srv/My Files',
      '--name',
      'its',
      '--empty',
      '',
      '$HOME',
    ]);
  });

  it('takes a backslash as a shell does: outside quotes it escapes any character, inside double quotes only " \\ $ `', () => {
    expect(splitCommandLine(String.raw`a\ b "c\"d" "e\f" 'g\h'`)).toEqual(['a b', 'c"d', String.raw`e\f`, String.raw`g\h`]);
  });
});
