import { describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createTenant } from '../support/api';
import { connect, toolError } from '../mcp/support';
import { trainedClassifier } from './support';

describe('tenant-trained classifiers over MCP', () => {
  it('names the tenant’s ready classifiers in the classify tool, and classifies with one', async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const { id } = await trainedClassifier(tenant.auth);
    const { id: othersId } = await trainedClassifier(other.auth);

    const client = await connect(tenant.key);
    const classify = (await client.listTools()).tools.find((tool) => tool.name === 'classify')!;
    expect(classify.description).toContain(`${id} (“support: account, billing, shipping”)`);
    expect(classify.description).not.toContain(othersId);
    expect((classify.inputSchema.properties as Record<string, { enum?: string[] }>).classifier!.enum).toEqual([id]);

    const result = (await client.callTool({ name: 'classify', arguments: { text: 'the courier lost my parcel', classifier: id } })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ provider: 'local', model: `${id}@v1`, usage: { cost_usd: 0 } });
    // Another tenant's classifier is not found, over MCP as over HTTP.
    const refused = (await client.callTool({ name: 'classify', arguments: { text: 'the courier lost my parcel', classifier: othersId } })) as CallToolResult;
    expect(toolError(refused).error).toMatchObject({ code: 'classifier_not_found', status: 404 });
  });

  it('offers no classifier choices to a tenant without one', async () => {
    const tenant = await createTenant();
    const client = await connect(tenant.key);
    const classify = (await client.listTools()).tools.find((tool) => tool.name === 'classify')!;
    expect(classify.description).not.toContain('Your trained classifiers');
    expect((classify.inputSchema.properties as Record<string, { enum?: string[] }>).classifier!.enum).toBeUndefined();
  });
});
