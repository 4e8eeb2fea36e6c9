// A stdio MCP server (the official SDK's) with the failures a supervisor must survive: it exits
// mid-call, writes one line larger than any message limit, hangs, and tells what its environment holds.
// With PROBE_PID_FILE set it writes its process id there as it starts (so a test can see it is gone).
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';

const server = new McpServer({ name: 'stdio-probe', version: '1.0.0' });
server.registerTool('pid', { description: 'This process id', inputSchema: z.object({}) }, async () => ({
  content: [{ type: 'text', text: String(process.pid) }],
}));
server.registerTool('env', { description: 'One environment variable', inputSchema: z.object({ name: z.string() }) }, async ({ name }) => ({
  content: [{ type: 'text', text: `${name}=${process.env[name] ?? '(unset)'}` }],
}));
server.registerTool(
  'env_sha256',
  { description: 'The SHA-256 of one environment variable (proves a value without showing it)', inputSchema: z.object({ name: z.string() }) },
  async ({ name }) => ({
    content: [
      {
        type: 'text',
        text: createHash('sha256')
          .update(process.env[name] ?? '')
          .digest('hex'),
      },
    ],
  }),
);
server.registerTool('env_names', { description: 'The names of every environment variable', inputSchema: z.object({}) }, async () => ({
  content: [{ type: 'text', text: Object.keys(process.env).sort().join(',') }],
}));
server.registerTool('crash', { description: 'Exits at once, without answering', inputSchema: z.object({}) }, async () => {
  process.stderr.write('crashing on request\n');
  process.exit(3);
});
server.registerTool(
  'huge_line',
  { description: 'Writes one stdout line of `mib` MiB without a newline, then waits', inputSchema: z.object({ mib: z.number() }) },
  async ({ mib }) => {
    const chunk = 'x'.repeat(1024 * 1024);
    for (let i = 0; i < mib; i++) process.stdout.write(chunk);
    await new Promise(() => undefined);
  },
);
server.registerTool('stderr_flood', { description: 'Writes `lines` stderr lines', inputSchema: z.object({ lines: z.number() }) }, async ({ lines }) => {
  for (let i = 0; i < lines; i++) process.stderr.write(`flood line ${i}\n`);
  return { content: [{ type: 'text', text: 'flooded' }] };
});
server.registerTool('block', { description: 'Blocks its event loop for good: alive, never answering again', inputSchema: z.object({}) }, async () => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  return { content: [] };
});
if (process.env.PROBE_PID_FILE) writeFileSync(process.env.PROBE_PID_FILE, String(process.pid));
await server.connect(new StdioServerTransport());
process.stderr.write('stdio-probe ready\n');
