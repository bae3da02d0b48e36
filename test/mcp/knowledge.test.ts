import { describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createTenant } from '../support/api';
import { createBot, createKnowledgeBase, HELP_DOCS } from '../chat/support';
import { connect, toolError } from './support';

describe('MCP: knowledge bases and bots', () => {
  it('kb_search searches the tenant’s knowledge base like POST /v1/kb/{id}/search, and offers only its own ids', async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const kb = await createKnowledgeBase(tenant.auth);
    const theirs = await createKnowledgeBase(other.auth);
    const client = await connect(tenant.key);

    const tool = (await client.listTools()).tools.find((entry) => entry.name === 'kb_search')!;
    const kbId = (tool.inputSchema.properties as Record<string, { enum?: string[] }>).kb_id!;
    expect(kbId.enum).toEqual([kb.id]);
    expect(tool.description).toContain(kb.id);
    expect(tool.description).not.toContain(theirs.id);

    const result = (await client.callTool({ name: 'kb_search', arguments: { kb_id: kb.id, query: 'how long do refunds take?', top_k: 2 } })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    const found = result.structuredContent as { object: string; results: { title: string; document_id: string }[] };
    expect(found.object).toBe('list');
    expect(found.results[0]).toMatchObject({ title: 'Refund policy', document_id: kb.documents[0] });
    expect(found.results.length).toBeLessThanOrEqual(2);
    expect(result.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('Refund policy') });

    // Another tenant's knowledge base is not there at all: the same 404 as an id that does not exist.
    const hidden = toolError((await client.callTool({ name: 'kb_search', arguments: { kb_id: theirs.id, query: 'refunds' } })) as CallToolResult);
    expect(hidden.error).toMatchObject({ code: 'knowledge_base_not_found', param: 'kb_id', status: 404 });
    await client.close();
  });

  it('lists the tenant’s knowledge bases and documents as read-only resources, and not another tenant’s', async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const kb = await createKnowledgeBase(tenant.auth);
    const theirs = await createKnowledgeBase(other.auth);
    const client = await connect(tenant.key);

    const { resources } = await client.listResources();
    expect(resources.map((resource) => resource.uri)).toEqual([`minnow://kb/${kb.id}`]);
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((template) => template.uriTemplate)).toEqual(['minnow://kb/{kb_id}/documents/{document_id}']);

    const listing = await client.readResource({ uri: `minnow://kb/${kb.id}` });
    const body = JSON.parse((listing.contents[0] as { text: string }).text);
    expect(body).toMatchObject({ id: kb.id, object: 'knowledge_base', documents: HELP_DOCS.length, has_more: false });
    expect(body.data.map((doc: { uri: string }) => doc.uri)).toEqual(expect.arrayContaining(kb.documents.map((id) => `minnow://kb/${kb.id}/documents/${id}`)));
    const document = await client.readResource({ uri: `minnow://kb/${kb.id}/documents/${kb.documents[0]}` });
    expect(document.contents[0]).toMatchObject({ mimeType: 'text/plain', text: expect.stringContaining('Refunds are paid back') });

    await expect(client.readResource({ uri: `minnow://kb/${theirs.id}` })).rejects.toThrow(/No resource/);
    await expect(client.readResource({ uri: `minnow://kb/${theirs.id}/documents/${theirs.documents[0]}` })).rejects.toThrow(/No resource/);
    await expect(client.readResource({ uri: `minnow://kb/${kb.id}/documents/${theirs.documents[0]}` })).rejects.toThrow(/No resource/);
    await client.close();
  });

  it('a key without the search scope sees no kb_search, no resources, and cannot read one', async () => {
    const tenant = await createTenant();
    const kb = await createKnowledgeBase(tenant.auth);
    const scoped = await createTenant({ scopes: ['sentiment'] });
    const client = await connect(scoped.key);
    expect((await client.listResources()).resources).toEqual([]);
    await expect(client.readResource({ uri: `minnow://kb/${kb.id}` })).rejects.toThrow(/search scope/);
    await client.close();
  });

  it('ask_bot runs one grounded turn like POST /v1/chat, with citations and a conversation to continue', async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const kb = await createKnowledgeBase(tenant.auth);
    const bot = await createBot(tenant.auth, { knowledge_bases: [kb.id] });
    const theirBot = await createBot(other.auth, { knowledge_bases: [(await createKnowledgeBase(other.auth)).id] });
    const client = await connect(tenant.key);

    const tool = (await client.listTools()).tools.find((entry) => entry.name === 'ask_bot')!;
    expect((tool.inputSchema.properties as Record<string, { enum?: string[] }>).bot!.enum).toEqual([bot.id]);
    expect(tool.inputSchema.properties).not.toHaveProperty('stream');

    const result = (await client.callTool({ name: 'ask_bot', arguments: { bot: bot.id, message: 'How long do refunds take?' } })) as CallToolResult;
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    const answer = result.structuredContent as { object: string; conversation_id: string; citations: { title: string }[]; message: { content: string } };
    expect(answer.object).toBe('chat.response');
    expect(answer.citations.map((citation) => citation.title)).toContain('Refund policy');
    expect(result.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining(answer.conversation_id) });

    const next = (await client.callTool({ name: 'ask_bot', arguments: { bot: bot.id, message: 'And for gift cards?', conversation_id: answer.conversation_id } })) as CallToolResult;
    expect(next.isError, JSON.stringify(next.content)).toBeFalsy();
    expect((next.structuredContent as { conversation_id: string }).conversation_id).toBe(answer.conversation_id);

    const hidden = toolError((await client.callTool({ name: 'ask_bot', arguments: { bot: theirBot.id, message: 'Hello?' } })) as CallToolResult);
    expect(hidden.error.status).toBe(404);
    await client.close();
  });
});
