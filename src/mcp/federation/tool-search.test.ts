import type { Tool } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { toolSearchOf } from './tool-search.js';

const tool = (name: string, description: string, title?: string): Tool => ({ name, description, ...(title ? { title } : {}), inputSchema: { type: 'object' } });

const tools = [
  tool('github__create_issue', 'Create a new issue in a repository'),
  tool('github__list_issues', 'List issues of a repository'),
  tool('linear__createIssue', 'Creates a Linear ticket', 'Create ticket'),
  tool('slack__post_message', 'Send a message to a channel'),
  tool('get-sum', 'Returns the sum of two numbers'),
];

describe('ToolSearch', () => {
  it('ranks by name words, title and description with the catalog’s ranking', () => {
    const search = toolSearchOf(tools);
    expect(search.search('send a message to slack', 3)[0]?.name).toBe('slack__post_message');
    expect(search.search('add two numbers', 3)[0]?.name).toBe('get-sum');
    expect(search.search('linear ticket', 3)[0]?.name).toBe('linear__createIssue');
    expect(search.search('list the issues', 3)[0]?.name).toBe('github__list_issues');
  });

  it('is built once per listing', () => {
    expect(toolSearchOf(tools)).toBe(toolSearchOf(tools));
  });
});
